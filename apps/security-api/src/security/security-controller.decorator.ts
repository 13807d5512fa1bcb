import { applyDecorators, Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAdministratorsOnly, ApiUriTooLong } from '../openapi/error-responses';

/** A controller of the security API at `path`, documented with what any of its routes answers before the route runs. */
export const SecurityController = (path: string): ClassDecorator =>
  applyDecorators(ApiTags('security'), ApiAdministratorsOnly(), ApiUriTooLong(), Controller(path));
