/** A time for a node status: 24-hour `HH:MM:SS` in the server's local time, the same in every status. */
export function statusTime(date: Date = new Date()): string {
	const two = (value: number) => String(value).padStart(2, '0');
	return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}
