/** Formats message times in the page's locale: the time today, the date and time before. */
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});

export function formatMessageTime(ts: number, now = Date.now()): string {
  const sameDay = new Date(ts).toDateString() === new Date(now).toDateString();
  return (sameDay ? timeFormat : dateTimeFormat).format(ts);
}

const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
const byteFormats = new Map<string, Intl.NumberFormat>();

/** A file size for people, in the page's locale: "512 bytes", "1.4 MB". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const name = units[unit]!;
  let format = byteFormats.get(name);
  if (!format) {
    format = new Intl.NumberFormat(undefined, {
      style: 'unit',
      unit: name,
      unitDisplay: name === 'byte' ? 'long' : 'short',
      maximumFractionDigits: 1,
    });
    byteFormats.set(name, format);
  }
  return format.format(unit === 0 ? value : Math.round(value * 10) / 10);
}
