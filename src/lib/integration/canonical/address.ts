import { z } from 'zod';
import { CountryCode } from './primitives';

/** A postal address to ship to. */
export const Address = z.object({
  name: z.string().min(1, 'must not be empty'),
  company: z.string().optional(),
  street1: z.string().min(1, 'must not be empty'),
  street2: z.string().optional(),
  city: z.string().min(1, 'must not be empty'),
  region: z.string().optional(),
  postalCode: z.string().min(1, 'must not be empty').max(16),
  country: CountryCode,
  phone: z.string().optional(),
  email: z.email().optional(),
});
export type Address = z.output<typeof Address>;
