import { Module } from '@nestjs/common';
import { Directory } from './directory';
import { ConfigurableModuleClass } from './directory.module-definition';
import { LdapDirectory } from './ldap/ldap-directory';

@Module({
  providers: [{ provide: Directory, useClass: LdapDirectory }],
  exports: [Directory],
})
export class DirectoryModule extends ConfigurableModuleClass {}
