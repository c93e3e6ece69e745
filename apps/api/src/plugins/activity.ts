// Whether a user has used the API lately (`isUserActive` in the status): any
// authenticated request marks the user active for ten minutes. In memory only:
// knowing it never touches the database.
const USER_ACTIVE_MS = 10 * 60_000;

export interface UserActivity {
  markActive(at: Date): void;
  isActive(at: Date): boolean;
}

export function createUserActivity(windowMs = USER_ACTIVE_MS): UserActivity {
  let lastSeen = Number.NEGATIVE_INFINITY;
  return {
    markActive(at) {
      lastSeen = Math.max(lastSeen, at.getTime());
    },
    isActive(at) {
      return at.getTime() - lastSeen < windowMs;
    },
  };
}
