import { ProblemError } from '@markettina/sdk';

/** The problems the flags API can answer, by stable code. */
export const flagProblems = {
  notFound: (key: string) =>
    new ProblemError({ status: 404, code: 'FLAG_NOT_FOUND', title: 'Flag not found', detail: `no flag "${key}" is defined`, extensions: { key } }),
  exists: (key: string) =>
    new ProblemError({ status: 409, code: 'FLAG_EXISTS', title: 'Flag already exists', detail: `flag "${key}" is already defined; change it with PATCH`, extensions: { key } }),
  ownerUnknown: (key: string, owner: string) =>
    new ProblemError({
      status: 422,
      code: 'FLAG_OWNER_UNKNOWN',
      title: 'Unknown flag owner',
      detail: `flag "${key}" belongs to "${owner}", which is neither "kernel" nor an installed plugin; prefix the key with one of them`,
      extensions: { key },
    }),
  invalid: (detail: string) => new ProblemError({ status: 422, code: 'FLAG_INVALID', title: 'Invalid flag', detail }),
  valueInvalid: (detail: string) => new ProblemError({ status: 422, code: 'FLAG_VALUE_INVALID', title: 'Invalid flag value', detail }),
  declaredInCode: (key: string, what: string) =>
    new ProblemError({
      status: 409,
      code: 'FLAG_DECLARED_IN_CODE',
      title: 'Flag is declared in code',
      detail: `flag "${key}" is declared by its owner's code, which decides its ${what}; change the code, or change only enabled, rollout and targeting here`,
      extensions: { key },
    }),
  accountNotFound: (accountId: string) =>
    new ProblemError({ status: 404, code: 'ACCOUNT_NOT_FOUND', title: 'Account not found', detail: `no account has id ${accountId}` }),
};
