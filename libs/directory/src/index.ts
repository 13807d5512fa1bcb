export * from './directory';
export * from './directory.errors';
export * from './directory-observer';
export * from './directory.options';
export { DirectoryModule } from './directory.module';
export { isAttributeName, isServerUrlList, transportSecurityConflict, usesTls } from './directory-settings-syntax';
export { hasUuidSyntax } from './identifier';
