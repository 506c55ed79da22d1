/**
 * Every workerd test file ends as the next one expects to start: no faults on
 * the shared example origin, no monitor alarm armed, no Durable Object busy.
 * Without it a file that ends with the origin down (its listener closed) and
 * the monitor's alarm armed could keep the runner from moving on to the next
 * file, at random (the order of files varies).
 */
import { afterAll } from 'vitest';
import { resetAll } from './helpers.ts';

afterAll(resetAll);
