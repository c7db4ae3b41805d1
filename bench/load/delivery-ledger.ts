// Exact duplicate detection: which message each receiver already has. Comparing totals (delivered
// vs expected) lets a duplicate and a loss cancel out, and across nodes those are exactly the
// failures to catch. Every cmid the scenarios send ends in a number unique per receiver (1:1: the
// partner's own counter; channel: the run's send counter), so a byte per message per receiver is
// enough, and the generator stays cheap enough not to become what is measured.
export class DeliveryLedger {
  readonly #seen = new Map<string, Uint8Array>();
  duplicates = 0;
  /** The first duplicate, for the failure message. */
  firstDuplicate: string | undefined;

  /** Records that `receiver` got `cmid`; false (and counted) when it had it already. */
  record(receiver: string, cmid: string): boolean {
    const number = Number(cmid.slice(cmid.lastIndexOf('-') + 1));
    if (!Number.isInteger(number) || number < 0) throw new Error(`cmid "${cmid}" does not end in a message number`);
    let seen = this.#seen.get(receiver);
    if (!seen || seen.length <= number) {
      const grown = new Uint8Array(Math.max(1024, (number + 1) * 2));
      if (seen) grown.set(seen);
      this.#seen.set(receiver, (seen = grown));
    }
    if (seen[number]) {
      this.duplicates++;
      this.firstDuplicate ??= `${cmid} to ${receiver}`;
      return false;
    }
    seen[number] = 1;
    return true;
  }
}
