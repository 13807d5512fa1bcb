import { Module } from '@nestjs/common';
import { Directory } from './directory';
import { DirectoryObserver } from './directory-observer';
import { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } from './directory.module-definition';
import { DirectoryOptions } from './directory.options';
import { dialectSourceFor } from './ldap/dialect-source';
import { LdapDirectory } from './ldap/ldap-directory';

function directoryFor(options: DirectoryOptions, observer?: DirectoryObserver): Directory {
  return new LdapDirectory(options, dialectSourceFor(options, observer), observer);
}

@Module({
  providers: [
    {
      provide: Directory,
      useFactory: directoryFor,
      inject: [MODULE_OPTIONS_TOKEN, { token: DirectoryObserver, optional: true }],
    },
  ],
  exports: [Directory],
})
export class DirectoryModule extends ConfigurableModuleClass {}
