/**
 * The "not checked" reason of a scan that had no vulnerability data to match against. A data
 * update that brings the data clears exactly these gaps (and no other: an analyzer that failed
 * still leaves vulnerabilities not fully checked).
 */
export function missingDataReason(updating: boolean): string {
  return updating
    ? 'vulnerability data is still being fetched: the image is re-matched when it arrives'
    : "no vulnerability data: use Update data (or POST /api/data-update, or 'shipshape db update')";
}

/** True for the reasons above (and the wordings of earlier versions). */
export function isMissingDataReason(reason: string): boolean {
  return /^(?:no vulnerability data|no vulnerability database|vulnerability data is still being fetched)/.test(reason);
}
