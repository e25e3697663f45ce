import { describe, expect, it } from 'vitest';

describe('public API', () => {
  it('exports exactly the curated names from @einhorn/core', async () => {
    expect(Object.keys(await import('./index.ts')).sort()).toMatchInlineSnapshot(`
      [
        "COMMAND_NAMES",
        "DEFAULT_MAX_LINE_BYTES",
        "ENV",
        "EinhornAckError",
        "EinhornClientError",
        "EinhornEnvError",
        "EinhornError",
        "EinhornFdError",
        "EinhornMasterError",
        "EinhornProtocolError",
        "EinhornShutdownError",
        "ErrorCodes",
        "OptionsValidator",
        "createLineSplitter",
        "decodeMessage",
        "encodeMessage",
        "encodeReply",
        "escapeLine",
        "fdEnvKey",
        "isEinhornError",
        "parseCommand",
        "parseEinhornEnv",
        "parseReply",
        "readRequest",
        "safeParseEinhornEnv",
        "serializeEinhornEnv",
        "stripEinhornEnv",
        "unescapeLine",
        "workerAck",
        "workerPing",
      ]
    `);
  });

  it('exports exactly the zod schemas from @einhorn/core/schema', async () => {
    expect(Object.keys(await import('./schema.ts')).sort()).toMatchInlineSnapshot(`
      [
        "commandSchema",
        "commandSchemas",
        "envSchema",
        "replySchema",
        "requestIdSchema",
      ]
    `);
  });
});
