// How values are shown: numbers with a fixed precision, times in the meter's zone, lags in words.

const numberFormats = new Map();

export function num(value, digits = 2) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  let f = numberFormats.get(digits);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    numberFormats.set(digits, f);
  }
  return f.format(value);
}

/** An ISO time with offset as shown: 2024-12-20 14:37 (the offset's own local time). */
export function time(iso) {
  if (!iso) return '–';
  return iso.slice(0, 10) + ' ' + iso.slice(11, 16);
}

/** Seconds as a lag in words: 42 s, 5 min, 3 h, 12 d. */
export function lag(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const s = Math.abs(seconds);
  if (s < 120) return `${Math.round(seconds)} s`;
  if (s < 7200) return `${Math.round(seconds / 60)} min`;
  if (s < 172800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${num(n / 1024, 1)} KiB`;
  return `${num(n / 1048576, 1)} MiB`;
}

/** Epoch seconds of an ISO time. */
export function epoch(iso) {
  return Date.parse(iso) / 1000;
}

/** A local date (yyyy-MM-dd) plus {@code days}. */
export function addDays(date, days) {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
