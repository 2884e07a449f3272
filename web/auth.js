// auth.js - what each role may use, mirroring the role table of docs/API.md.
// The server decides every request; this only keeps the UI from offering
// what would be refused.

export const ROLES = ['authority', 'security_reviewer', 'expert', 'unit', 'auditor'];

const is = (user, ...roles) => !!user && roles.includes(user.role);

export const can = {
  createUnit: (u) => is(u, 'authority'),
  deleteUnit: (u) => is(u, 'authority'),
  editUnit: (u, unitId) => is(u, 'authority') || (is(u, 'unit') && Number(u.unit_id) === Number(unitId)),
  unitHistory: (u) => is(u, 'authority', 'auditor', 'unit'),
  viewUsers: (u) => is(u, 'authority', 'auditor'),
  manageUsers: (u) => is(u, 'authority'),
  viewAudit: (u) => is(u, 'authority', 'auditor'),
  seeAllTokens: (u) => is(u, 'authority', 'auditor'),
};

// Where a user lands after logging in.
export function homeRoute(user) {
  if (is(user, 'unit') && user.unit_id) return `#/units/${user.unit_id}`;
  return '#/units';
}
