import { DirectoryObserver, DirectoryOperation } from '../directory-observer';
import { outcomeOf } from './ldap-failure';

/** Reports how `operation` ended and how long it took, and passes its result or error on unchanged. */
export async function observed<T>(
  observer: DirectoryObserver,
  operation: DirectoryOperation,
  run: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  try {
    const result = await run();
    observer.operationFinished(operation, 'ok', (performance.now() - started) / 1000);
    return result;
  } catch (error) {
    observer.operationFinished(operation, outcomeOf(error), (performance.now() - started) / 1000);
    throw error;
  }
}
