// Forms of the staff sign-in and the admin screens (users, units). Each admin
// form names what it does in the field `intent`; ids come from hidden fields.
// Messages are keys of the `admin` catalog (./admin-messages).
import { z } from 'zod';
import { ACCESS } from '~/domain/access';
import { cleanLine, cleanWords, codePointLength } from '~/utils/text';

/** Every role, in the order the users page offers them (everyone signed in uses the console). */
export const ROLE_VALUES = ACCESS.console;

export const STAFF_ADMIN_LIMITS = {
  emailMax: 254,
  displayNameMax: 60,
  unitNameMax: 80,
  /** Hashing is slow on purpose; a bound keeps a huge password from costing more. */
  passwordMax: 1024,
  redirectToMax: 2000,
} as const;
const L = STAFF_ADMIN_LIMITS;

const text = z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string());
const EMAIL = /^[^\s@]+@[^\s@]+$/;

const email = text
  .transform((v) => cleanLine(v).toLowerCase())
  .pipe(
    z
      .string()
      .min(1, 'admin:validation.emailRequired')
      .refine((v) => codePointLength(v) <= L.emailMax, 'admin:validation.emailTooLong')
      .refine((v) => EMAIL.test(v), 'admin:validation.emailInvalid'),
  );

const id = (message: string) =>
  text.pipe(
    z
      .string()
      .regex(/^[1-9]\d{0,9}$/, message)
      .transform(Number),
  );

export const LoginSchema = z.object({
  email: text
    .transform(cleanLine)
    .pipe(z.string().min(1, 'admin:validation.emailRequired').refine((v) => codePointLength(v) <= L.emailMax)),
  // Never cleaned: a password is compared as typed.
  password: text.pipe(z.string().min(1, 'admin:validation.passwordRequired').max(L.passwordMax)),
  redirectTo: text.pipe(z.string().max(L.redirectToMax)),
});

export const UserCreateSchema = z.object({
  email,
  displayName: text
    .transform(cleanWords)
    .pipe(
      z
        .string()
        .min(1, 'admin:validation.displayNameRequired')
        .refine((v) => codePointLength(v) <= L.displayNameMax, 'admin:validation.displayNameTooLong'),
    ),
  role: z.enum(ROLE_VALUES, { errorMap: () => ({ message: 'admin:validation.roleRequired' }) }),
});

const userId = id('admin:validation.userIdInvalid');

export const userActionSchema = z.discriminatedUnion(
  'intent',
  [
    UserCreateSchema.extend({ intent: z.literal('create') }),
    z.object({ intent: z.literal('role'), userId, role: UserCreateSchema.shape.role }),
    z.object({ intent: z.literal('deactivate'), userId }),
    z.object({ intent: z.literal('reactivate'), userId }),
    z.object({ intent: z.literal('reset'), userId }),
    z.object({ intent: z.literal('reset-2fa'), userId }),
  ],
  { errorMap: intentError },
);

/** An admin ends one of a person's sessions (named by its digest, as the page lists it) or all of them. */
export const userSessionActionSchema = z.discriminatedUnion(
  'intent',
  [z.object({ intent: z.literal('end'), session: text.pipe(z.string().min(1).max(100)) }), z.object({ intent: z.literal('end-all') })],
  { errorMap: intentError },
);

const unitFields = {
  name: text
    .transform(cleanWords)
    .pipe(
      z
        .string()
        .min(1, 'admin:validation.unitNameRequired')
        .refine((v) => codePointLength(v) <= L.unitNameMax, 'admin:validation.unitNameTooLong'),
    ),
  // Optional: without it, nobody is mailed when an opinion is assigned.
  email: text
    .transform((v) => cleanLine(v).toLowerCase())
    .pipe(
      z
        .string()
        .refine((v) => codePointLength(v) <= L.emailMax, 'admin:validation.emailTooLong')
        .refine((v) => v === '' || EMAIL.test(v), 'admin:validation.unitEmailInvalid')
        .transform((v) => v || null),
    ),
};
const unitId = id('admin:validation.unitIdInvalid');

export const unitActionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('create'), ...unitFields }),
    z.object({ intent: z.literal('update'), unitId, ...unitFields }),
    z.object({ intent: z.literal('retire'), unitId }),
    z.object({ intent: z.literal('restore'), unitId }),
  ],
  { errorMap: intentError },
);

function intentError(issue: z.ZodIssueOptionalMessage, ctx: { defaultError: string }): { message: string } {
  return { message: issue.code === 'invalid_union_discriminator' ? 'admin:validation.intentInvalid' : ctx.defaultError };
}
