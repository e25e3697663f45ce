import { describe, expect, it } from 'vitest';
import * as api from './index.ts';

describe('@einhorn/fastify public surface', () => {
  it('exports exactly the documented runtime values', () => {
    expect(Object.keys(api).sort()).toEqual(['fastifyEinhorn', 'listenEinhorn']);
  });
});
