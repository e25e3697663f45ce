/**
 * Decoding of command-socket lines: `decodeMessage` unescapes a line and parses it as YAML 1.1
 * exactly as einhorn's Psych does, returning plain data without validating its shape.
 *
 * For the master, the command-socket client, and anyone reading what einhorn or `einhornsh`
 * sends. Workers only write messages and do not need it. To validate the decoded value as a
 * command or reply, use `parseCommand`, `parseReply` or `readRequest` from
 * `@einhorn/core/schema`.
 *
 * Requires the optional peer dependency `yaml@2`: `npm install yaml@2`.
 *
 * @module
 */
export { decodeMessage, decodeRubyYaml } from './protocol/decode.ts';
export { rubyClassName, rubyInspect } from './protocol/ruby-inspect.ts';
