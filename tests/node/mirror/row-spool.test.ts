import { describe, expect, it } from 'vitest';
import { RowSpool } from '../../../static-fallback/mirror/row-spool.ts';

describe('RowSpool', () => {
  it('returns each key its rows in the order added, whether they stayed in memory or went to disk', async () => {
    const spool = await RowSpool.open({ memoryBytes: 64 });
    const expected = new Map<string, string>();
    try {
      for (let i = 0; i < 200; i++) {
        const key = ['chairs', 'lamps', 'rugs'][i % 3] ?? 'x';
        const row = `${key},row ${i},${'é'.repeat(i % 5)}\n`;
        await spool.add(key, row);
        expected.set(key, (expected.get(key) ?? '') + row);
      }
      await spool.add('tiny', 'one\n');
      for (const [key, rows] of expected) expect((await spool.take(key)).toString('utf8'), key).toBe(rows);
      expect((await spool.take('tiny')).toString('utf8')).toBe('one\n');
      expect((await spool.take('chairs')).byteLength, 'taken rows are forgotten').toBe(0);
      expect((await spool.take('unknown')).byteLength).toBe(0);
    } finally {
      await spool.dispose();
    }
  });
});
