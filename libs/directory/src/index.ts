export * from './directory';
export * from './directory.errors';
export * from './directory.options';
export * from './paging';
export { groupOrder, userOrder } from './list-order';
export { pageOf } from './page-window';
export { DirectoryModule } from './directory.module';
export { isAttributeName, isServerUrlList, transportSecurityConflict, usesTls } from './directory-settings-syntax';
export { hasUuidSyntax } from './identifier';
