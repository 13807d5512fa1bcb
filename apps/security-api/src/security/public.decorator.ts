import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'security:public';

/** Opens a route to callers without credentials; every other route demands an administrator. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
