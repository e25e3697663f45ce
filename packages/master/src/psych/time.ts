const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/**
 * Psych's text for a local `Time` (`%Y-%m-%d %H:%M:%S.%9N %:z`), in this process's time zone as
 * Ruby's `Time.now` would be. `epochMs` may carry a fraction; nanoseconds below the microsecond
 * are written as zeros (Node measures no finer).
 */
export function psychTimeText(epochMs: number): string {
  const wholeMs = Math.floor(epochMs);
  const micros = Math.min(
    999_999,
    Math.round((epochMs - Math.floor(wholeMs / 1000) * 1000) * 1000),
  );
  const date = new Date(wholeMs);
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  const day = `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${day} ${clock}.${pad(micros, 6)}000 ${zone}`;
}
