import { Directory, DirectoryModule, DirectoryOptions } from '@app/directory';
import { Test } from '@nestjs/testing';

/** The library as the application gets it: DirectoryModule's Directory, its start-up hooks run (the change watch). */
export async function startDirectory(
  options: DirectoryOptions,
): Promise<{ directory: Directory; close: () => Promise<void> }> {
  const moduleRef = await Test.createTestingModule({ imports: [DirectoryModule.forRoot(options)] }).compile();
  await moduleRef.init();
  return { directory: moduleRef.get(Directory), close: () => moduleRef.close() };
}
