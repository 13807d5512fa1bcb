import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';

export const IS_PUBLIC = 'security:public';

/**
 * Opens a route to callers without credentials; every other route demands an administrator. The OpenAPI document
 * says the same: an empty security requirement, which satisfies the document's default of Basic credentials.
 */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiSecurity({}));
