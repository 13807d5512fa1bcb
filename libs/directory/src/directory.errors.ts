/** The directory could not be reached or did not answer in time: the caller may retry later. */
export class DirectoryUnavailableError extends Error {
  override readonly name: string = 'DirectoryUnavailableError';
}

/** The directory answered in a way the service cannot use (a misconfiguration or an unexpected result). */
export class DirectoryError extends Error {
  override readonly name: string = 'DirectoryError';
}
