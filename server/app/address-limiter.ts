/** Counts open sessions per client address so one address cannot take every slot. */
export class AddressLimiter {
  readonly #open = new Map<string, number>();

  constructor(readonly maxPerAddress: number) {}

  /** Takes a slot for `address`; false (and nothing taken) when it already has the maximum. */
  tryAcquire(address: string): boolean {
    const open = this.#open.get(address) ?? 0;
    if (open >= this.maxPerAddress) return false;
    this.#open.set(address, open + 1);
    return true;
  }

  /** Gives back a slot taken with tryAcquire. */
  release(address: string): void {
    const open = this.#open.get(address) ?? 0;
    if (open <= 1) this.#open.delete(address);
    else this.#open.set(address, open - 1);
  }

  /** Open sessions of `address`. */
  openCount(address: string): number {
    return this.#open.get(address) ?? 0;
  }
}
