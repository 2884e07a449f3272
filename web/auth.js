// auth.js - what each role may use, mirroring src/auth/policy.c (the role table
// of docs/API.md and docs/api-selection.md). The server decides every request;
// this only keeps the UI from offering what would be refused.

export const ROLES = ['authority', 'security_reviewer', 'expert', 'unit', 'auditor'];

const is = (user, ...roles) => !!user && roles.includes(user.role);
const ownUnit = (u, unitId) => is(u, 'unit') && Number(u.unit_id) === Number(unitId);

export const can = {
  // registry
  createUnit: (u) => is(u, 'authority'),
  deleteUnit: (u) => is(u, 'authority'),
  editUnit: (u, unitId) => is(u, 'authority') || ownUnit(u, unitId),
  unitHistory: (u) => is(u, 'authority', 'auditor', 'unit'),
  viewUsers: (u) => is(u, 'authority', 'auditor'),
  manageUsers: (u) => is(u, 'authority'),
  viewAudit: (u) => is(u, 'authority', 'auditor'),
  seeAllTokens: (u) => is(u, 'authority', 'auditor'),

  // selection: campaigns (campaign.read, campaign.read_draft, campaign.manage)
  viewCampaigns: (u) => is(u, 'authority', 'security_reviewer', 'expert', 'unit', 'auditor'),
  seeDraftCampaigns: (u) => is(u, 'authority', 'auditor'),
  manageCampaigns: (u) => is(u, 'authority'),
  // a unit's record (unit_record.read / .manage)
  readUnitRecord: (u, unitId) => is(u, 'authority', 'auditor') || ownUnit(u, unitId),
  recordGrade: (u) => is(u, 'authority'),
  // applications (application.list / read / write / manage / read_security)
  listAllApplications: (u) => is(u, 'authority', 'auditor'),
  readApplication: (u) => is(u, 'authority', 'auditor', 'expert', 'unit'),
  writeApplication: (u) => is(u, 'unit'),
  manageApplication: (u) => is(u, 'authority'),
  securityView: (u) => is(u, 'authority', 'security_reviewer', 'auditor'),
  decideSecurity: (u) => is(u, 'security_reviewer'),
  // panels and scores (panel.manage / read, score.write / read_all)
  managePanels: (u) => is(u, 'authority'),
  readPanels: (u) => is(u, 'authority', 'expert', 'auditor'),
  score: (u) => is(u, 'expert'),
  readAllScores: (u) => is(u, 'authority', 'auditor'),
  // ranking, proposal, objections (ranking.read, objection.manage / read)
  readRanking: (u) => is(u, 'authority', 'auditor'),
  manageObjections: (u) => is(u, 'authority'),
  readObjections: (u) => is(u, 'authority', 'auditor'),
  // certificates and re-qualification (certificate.*, change_report.create, requalification.*)
  readCertificates: (u) => is(u, 'authority', 'unit', 'auditor'),
  manageCertificates: (u) => is(u, 'authority'),
  reportChange: (u, unitId) => is(u, 'authority') || ownUnit(u, unitId),
  readRequal: (u) => is(u, 'authority', 'unit', 'auditor'),
  decideRequal: (u) => is(u, 'authority'),
  // work record, obligations, drills (worklog.*, obligations.read, drill.*)
  writeWorklog: (u) => is(u, 'unit'),
  readWorklog: (u) => is(u, 'authority', 'unit', 'auditor'),
  readObligations: (u, unitId) => is(u, 'authority', 'auditor') || ownUnit(u, unitId),
  readAllObligations: (u) => is(u, 'authority', 'auditor'),
  manageDrills: (u) => is(u, 'authority'),
  readDrills: (u) => is(u, 'authority', 'unit', 'auditor'),
  ackDrill: (u) => is(u, 'unit'),
  // incidents and dispatch (incident.*, dispatch.*, evidence.add, report.* of docs/api-incidents.md)
  readIncidents: (u) => is(u, 'authority', 'unit', 'auditor'),
  viewIncidentBoard: (u) => is(u, 'authority', 'auditor'),
  reportIncident: (u) => is(u, 'authority', 'unit'),
  manageIncidents: (u) => is(u, 'authority'),
  addIncidentNote: (u) => is(u, 'authority', 'unit'),
  addEvidence: (u) => is(u, 'authority', 'unit'),
  dispatch: (u) => is(u, 'authority'),
  readDispatches: (u) => is(u, 'authority', 'unit', 'auditor'),
  answerDispatch: (u) => is(u, 'unit'),
  readReporting: (u) => is(u, 'authority', 'auditor'),
  writeReports: (u) => is(u, 'authority'),
  manageIncidentReference: (u) => is(u, 'authority'),
  // threat reports, early warnings, bulletins (threat.*, warning.*, bulletin.read of docs/api-threats.md):
  // whoever filed one edits it, a unit's users for their unit's, the authority its own (unit_id null)
  readThreats: (u) => is(u, 'authority', 'unit', 'auditor'),
  writeThreat: (u) => is(u, 'authority', 'unit'),
  editThreat: (u, r) => !!r && ((is(u, 'unit') && Number(r.unit_id) === Number(u.unit_id)) || (is(u, 'authority') && !r.unit_id)),
  reviewThreat: (u) => is(u, 'authority'),
  threatStats: (u) => is(u, 'authority', 'unit', 'auditor'),
  readWarnings: (u) => is(u, 'authority', 'unit', 'auditor'),
  writeWarning: (u) => is(u, 'authority', 'unit'),
  editWarning: (u, w) => !!w && ((is(u, 'unit') && Number(w.unit_id) === Number(u.unit_id)) || (is(u, 'authority') && !w.unit_id)),
  reviewWarning: (u) => is(u, 'authority'),
  readBulletins: (u) => is(u, 'authority', 'unit', 'auditor'),
  // disposal notices (disposal.read: a unit those of its own reports; disposal.write)
  readDisposals: (u) => is(u, 'authority', 'unit', 'auditor'),
  sendDisposals: (u) => is(u, 'authority'),
  manageDisposals: (u) => is(u, 'authority'),
  // the indicator store, warning lists, feeds (indicator.*, warninglist.*, feed.*)
  readIndicators: (u) => is(u, 'authority', 'unit', 'auditor'),
  importIndicators: (u) => is(u, 'authority'),
  editIndicators: (u) => is(u, 'authority'),
  readWarningLists: (u) => is(u, 'authority', 'auditor'),
  manageWarningLists: (u) => is(u, 'authority'),
  readFeeds: (u) => is(u, 'authority', 'auditor'),
  manageFeeds: (u) => is(u, 'authority'),
  // the constituency (constituency.read / .manage)
  readConstituents: (u) => is(u, 'authority', 'auditor'),
  manageConstituents: (u) => is(u, 'authority'),
};

// Where a user lands after logging in.
export function homeRoute(user) {
  if (is(user, 'unit') && user.unit_id) return `#/units/${user.unit_id}`;
  if (is(user, 'expert')) return '#/reviews';
  if (is(user, 'security_reviewer')) return '#/security';
  return '#/units';
}
