/** Where the shell writes; process.stdout/stderr in the CLI, buffers in tests. */
export interface TextSink {
  write(text: string): unknown;
}

/** Ruby's `puts`: the text plus a newline unless it already ends with one (`""` prints an empty line). */
export function puts(sink: TextSink, text = ''): void {
  sink.write(text.endsWith('\n') ? text : `${text}\n`);
}
