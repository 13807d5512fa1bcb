// A binary SID (MS-DTYP 2.4.2.2): revision, sub-authority count, 6-byte authority, then that many little-endian
// 32-bit sub-authorities. A domain account's SID is its domain's SID followed by its relative id (RID).

/** The binary SID of the account with this RID in the domain of `accountSid`. */
export function sidInSameDomain(accountSid: Buffer, rid: number): Buffer {
  assertDomainAccountSid(accountSid);
  if (!Number.isInteger(rid) || rid < 0 || rid > 0xffffffff) {
    throw new Error(`Not a relative id: ${rid}`);
  }
  const sid = Buffer.from(accountSid);
  sid.writeUInt32LE(rid, sid.length - 4);
  return sid;
}

/** The relative id of a domain account: its SID's last sub-authority. */
export function ridOf(accountSid: Buffer): number {
  assertDomainAccountSid(accountSid);
  return accountSid.readUInt32LE(accountSid.length - 4);
}

function assertDomainAccountSid(sid: Buffer): void {
  const subAuthorities = sid.length >= 8 ? sid[1] : 0;
  if (subAuthorities < 2 || sid.length !== 8 + 4 * subAuthorities) {
    throw new Error(`Not the SID of a domain account: ${sid.toString('hex')}`);
  }
}
