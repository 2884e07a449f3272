// router.js - hash routes: #/login, #/units, #/units/new, #/units/:id,
// #/units/:id/edit, #/users, #/audit, #/account; the selection's #/campaigns,
// #/campaigns/new, #/campaigns/:id, #/campaigns/:id/edit, #/applications/:id,
// #/applications/:id/cover, #/applications/:id/security, #/security, #/reviews;
// #/certificates, #/certificates/:id, #/requalification, #/requalification/:id.
// The work record: #/worklog, #/obligations, #/obligations/:unitId, #/drills, #/drills/:id.
// Incidents and dispatch: #/incidents, #/incidents/new, #/incidents/:id, #/incidents/:id/edit,
// #/dispatches, #/dispatches/:id; #/notifications; #/reference/incidents.
// Threat intelligence: #/threats, #/threats/new, #/threats/:id, #/threats/:id/edit,
// #/disposals, #/disposals/:id, #/early-warnings (+ /new, /:id, /:id/edit), #/bulletins,
// #/indicators, #/indicators/import, #/indicators/:id, #/warninglists, #/feeds,
// #/constituents, #/constituents/new, #/constituents/:id, #/constituents/:id/edit.
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
  ['threats', /^#\/threats$/],
  ['threatNew', /^#\/threats\/new$/],
  ['threat', /^#\/threats\/(\d+)$/],
  ['threatEdit', /^#\/threats\/(\d+)\/edit$/],
  ['disposals', /^#\/disposals$/],
  ['disposal', /^#\/disposals\/(\d+)$/],
  ['earlyWarnings', /^#\/early-warnings$/],
  ['earlyWarningNew', /^#\/early-warnings\/new$/],
  ['earlyWarning', /^#\/early-warnings\/(\d+)$/],
  ['earlyWarningEdit', /^#\/early-warnings\/(\d+)\/edit$/],
  ['bulletins', /^#\/bulletins$/],
  ['indicators', /^#\/indicators$/],
  ['indicatorImport', /^#\/indicators\/import$/],
  ['indicator', /^#\/indicators\/(\d+)$/],
  ['intelWarninglists', /^#\/warninglists$/],
  ['intelFeeds', /^#\/feeds$/],
  ['constituents', /^#\/constituents$/],
  ['constituentNew', /^#\/constituents\/new$/],
  ['constituent', /^#\/constituents\/(\d+)$/],
  ['constituentEdit', /^#\/constituents\/(\d+)\/edit$/],
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

// Each visit to a hash gets a number, and the app keys the page with it: a link or the
// back button to the same page with another ?query mounts the page afresh, so it reads
// its filters from the new query and loads its data again. A page changing its own
// query with replaceQuery (a tab, a filter) stays the same visit and keeps its state.
let visit = 0;
let visitedHash = null;

// The route of location.hash with its visit number; a new number when the hash is not
// the one last visited (or written by replaceQuery).
export function currentRoute() {
  const hash = location.hash;
  if (hash !== visitedHash) {
    visit += 1;
    visitedHash = hash;
  }
  return { ...parseRoute(hash), visit };
}

// Goes to hash; going to the hash already shown is a new visit (the page reloads).
export function navigate(hash) {
  if (location.hash === hash) {
    visitedHash = null;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = hash;
  }
}

// Changes the address to hash without a new history entry and without a new visit: the
// page shown stays as it is (a form whose new draft now has an id and an edit address).
// A later link to the old address is then a change, and mounts that page afresh.
export function replaceHash(hash) {
  history.replaceState(null, '', hash);
  visitedHash = location.hash;
}

// Changes the query of the current route without a new history entry.
export function replaceQuery(query) {
  const [h] = location.hash.split('?');
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();
  history.replaceState(null, '', `${h}${qs ? `?${qs}` : ''}`);
  // The app's route follows (same visit), so a later link back to the old query is a change.
  visitedHash = location.hash;
  window.dispatchEvent(new Event('yj-query'));
}
