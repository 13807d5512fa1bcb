import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

const DECIMAL_INTEGER = /^-?[0-9]+$/;

/**
 * A number written as decimal digits only, from min to max. Implicit conversion alone would take JavaScript's
 * number syntax: 1e3, 0x1388, 1.5, " 5" and +5 would all pass for numbers no one meant to write.
 */
export const DecimalInteger =
  (min: number, max: number): PropertyDecorator =>
  (target, property) => {
    Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
      const given = obj[key];
      return typeof given === 'string' && DECIMAL_INTEGER.test(given) ? Number(given) : given;
    })(target, property);
    ValidateBy({
      name: 'isDecimalInteger',
      validator: {
        validate: (value) => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max,
        defaultMessage: () => `must be a whole number in decimal digits, from ${min} to ${max}`,
      },
    })(target, property);
  };
