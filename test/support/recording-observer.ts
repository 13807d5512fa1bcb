import {
  DirectoryCache,
  DirectoryModule,
  DirectoryObserver,
  DirectoryOperation,
  DirectoryOptions,
  DirectoryOutcome,
} from '@app/directory';
import { Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';

/** What the directory reported, in order. */
export class RecordingObserver implements DirectoryObserver {
  readonly operations: Array<{ operation: DirectoryOperation; outcome: DirectoryOutcome; seconds: number }> = [];
  readonly lookups: Array<{ cache: DirectoryCache; hit: boolean }> = [];

  operationFinished(operation: DirectoryOperation, outcome: DirectoryOutcome, seconds: number): void {
    this.operations.push({ operation, outcome, seconds });
  }

  cacheLookup(cache: DirectoryCache, hit: boolean): void {
    this.lookups.push({ cache, hit });
  }

  outcomes(): string[] {
    return this.operations.map(({ operation, outcome }) => `${operation} ${outcome}`);
  }

  clear(): void {
    this.operations.length = 0;
    this.lookups.length = 0;
  }
}

/** The directory as an application wires it: its observer comes from a module the directory's own module imports. */
export async function observedDirectory(
  options: DirectoryOptions,
  observer: DirectoryObserver,
): Promise<TestingModule> {
  @Module({ providers: [{ provide: DirectoryObserver, useValue: observer }], exports: [DirectoryObserver] })
  class ObserverModule {}

  const moduleRef = await Test.createTestingModule({
    imports: [DirectoryModule.forRootAsync({ imports: [ObserverModule], useFactory: () => options })],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}
