export * from './directory';
export * from './directory.errors';
export * from './directory.options';
export { DirectoryModule } from './directory.module';
export { hasUuidSyntax } from './identifier';
