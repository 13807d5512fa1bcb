import { getMetadataStorage } from 'class-validator';
import { closestName } from './closest-name';

/** The variables a class of validated settings reads: each validated property is one. */
export function variableNamesOf(settings: new () => object): string[] {
  const properties = getMetadataStorage()
    .getTargetValidationMetadatas(settings, '', false, false)
    .map((metadata) => metadata.propertyName);
  return [...new Set(properties)].sort();
}

/**
 * A warning for each variable that looks meant for the service (it shares a prefix with a known one) but is not a
 * name it reads, with the nearest known name. Only names are printed: a misspelt LDAP_BIND_PASWORD holds a secret.
 */
export function unknownVariableWarnings(variables: Record<string, unknown>, known: readonly string[]): string[] {
  const prefixes = new Set(known.filter((name) => name.includes('_')).map((name) => name.split('_')[0] + '_'));
  return Object.keys(variables)
    .filter((name) => !known.includes(name) && [...prefixes].some((prefix) => name.startsWith(prefix)))
    .sort()
    .map((name) => {
      const meant = closestName(name, known);
      return `${name}: unknown variable${meant === undefined ? '' : `; did you mean ${meant}?`}`;
    });
}
