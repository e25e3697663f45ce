/**
 * Decoding of command-socket lines: `decodeMessage` unescapes a line and parses it as YAML 1.1
 * exactly as einhorn's Psych does, returning plain data without validating its shape;
 * `readRequest` classifies a request line as einhorn does before dispatching it.
 *
 * For the master, the command-socket client, and anyone reading what einhorn or `einhornsh`
 * sends. Workers only write messages and do not need it. To validate decoded values with zod,
 * use `parseCommand` and `parseReply` from `@einhorn/core/schema`.
 *
 * Needs the optional peer dependency `yaml@2` (`npm install yaml@2`) for YAML lines and
 * `decodeRubyYaml`; it is loaded on first use, so JSON lines decode without it. Never loads zod.
 *
 * @module
 */
export { decodeMessage, decodeRubyYaml } from './protocol/decode.ts';
export { readRequest } from './protocol/read-request.ts';
export { rubyClassName, rubyInspect } from './protocol/ruby-inspect.ts';
