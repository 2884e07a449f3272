// router.js - hash routes: #/login, #/units, #/units/new, #/units/:id,
// #/units/:id/edit, #/users, #/audit, #/account; the selection's #/campaigns,
// #/campaigns/new, #/campaigns/:id, #/campaigns/:id/edit, #/applications/:id,
// #/applications/:id/cover, #/applications/:id/security, #/security, #/reviews;
// #/certificates, #/certificates/:id, #/requalification, #/requalification/:id.
// The work record: #/worklog, #/obligations, #/obligations/:unitId, #/drills, #/drills/:id.
// Incidents and dispatch: #/incidents, #/incidents/new, #/incidents/:id, #/incidents/:id/edit,
// #/dispatches, #/dispatches/:id; #/notifications; #/reference/incidents.
// A route may carry a query after "?" (e.g. #/campaigns/2?tab=applications).

const patterns = [
  ['login', /^#\/login$/],
  ['units', /^#\/units$/],
  ['unitNew', /^#\/units\/new$/],
  ['unit', /^#\/units\/(\d+)$/],
  ['unitEdit', /^#\/units\/(\d+)\/edit$/],
  ['users', /^#\/users$/],
  ['audit', /^#\/audit$/],
  ['account', /^#\/account$/],
  ['campaigns', /^#\/campaigns$/],
  ['campaignNew', /^#\/campaigns\/new$/],
  ['campaign', /^#\/campaigns\/(\d+)$/],
  ['campaignEdit', /^#\/campaigns\/(\d+)\/edit$/],
  ['application', /^#\/applications\/(\d+)$/],
  ['applicationCover', /^#\/applications\/(\d+)\/cover$/],
  ['applicationSecurity', /^#\/applications\/(\d+)\/security$/],
  ['security', /^#\/security$/],
  ['reviews', /^#\/reviews$/],
  ['certificates', /^#\/certificates$/],
  ['certificate', /^#\/certificates\/(\d+)$/],
  ['requals', /^#\/requalification$/],
  ['requal', /^#\/requalification\/(\d+)$/],
  ['worklog', /^#\/worklog$/],
  ['obligations', /^#\/obligations$/],
  ['obligationsUnit', /^#\/obligations\/(\d+)$/],
  ['drills', /^#\/drills$/],
  ['drill', /^#\/drills\/(\d+)$/],
  ['incidents', /^#\/incidents$/],
  ['incidentNew', /^#\/incidents\/new$/],
  ['incident', /^#\/incidents\/(\d+)$/],
  ['incidentEdit', /^#\/incidents\/(\d+)\/edit$/],
  ['dispatches', /^#\/dispatches$/],
  ['dispatch', /^#\/dispatches\/(\d+)$/],
  ['notifications', /^#\/notifications$/],
  ['referenceIncidents', /^#\/reference\/incidents$/],
];

export function parseRoute(hash) {
  const [h, qs] = (hash || '').split('?');
  if (h === '' || h === '#' || h === '#/') return { name: 'home', params: {}, query: {} };
  const query = Object.fromEntries(new URLSearchParams(qs || ''));
  for (const [name, re] of patterns) {
    const m = re.exec(h);
    if (m) return { name, params: { id: m[1] ? Number(m[1]) : undefined }, query };
  }
  return { name: 'notFound', params: {}, query: {} };
}

export function navigate(hash) {
  if (location.hash === hash) {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = hash;
  }
}

// Changes the query of the current route without a new history entry.
export function replaceQuery(query) {
  const [h] = location.hash.split('?');
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();
  history.replaceState(null, '', `${h}${qs ? `?${qs}` : ''}`);
}
