export { Role, Permission, can, permissionMatrix } from './roles';
export { addUser, checkCredentials, countUsers, listUsers, setEmail, setRole, Email, Login, Password, UnknownUserError, UserExistsError, type User, type UserSummary } from './users';
export { createSession, readSession, endSession, pruneSessions, SESSION_COOKIE, type Session } from './sessions';
export { createToken, verifyToken, revokeToken, listTokens, TokenExistsError, TokenName, type ServiceAccount } from './tokens';
export { retryAfterMs, recordFailure, clearFailures, THROTTLE } from './throttle';
export { requirePermission, actorOf, type Identity } from './identity';
