import { DirectoryGroup, DirectoryUser } from './directory';

// By UTF-16 code units, not by locale: the same order on every host and every Node version, so pages never overlap.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Names case-blind first, so that "bob" and "Bob" sit together, then exactly; the id, unique, breaks any tie. */
function byNameThenId(nameA: string, idA: string, nameB: string, idB: string): number {
  return compareText(nameA.toLowerCase(), nameB.toLowerCase()) || compareText(nameA, nameB) || compareText(idA, idB);
}

export function userOrder(a: DirectoryUser, b: DirectoryUser): number {
  return byNameThenId(a.username, a.id, b.username, b.id);
}

export function groupOrder(a: DirectoryGroup, b: DirectoryGroup): number {
  return byNameThenId(a.name, a.id, b.name, b.id);
}
