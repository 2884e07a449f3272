// router.js - hash routes: #/login, #/units, #/units/new, #/units/:id,
// #/units/:id/edit, #/users, #/audit, #/account.

const patterns = [
  ['login', /^#\/login$/],
  ['units', /^#\/units$/],
  ['unitNew', /^#\/units\/new$/],
  ['unit', /^#\/units\/(\d+)$/],
  ['unitEdit', /^#\/units\/(\d+)\/edit$/],
  ['users', /^#\/users$/],
  ['audit', /^#\/audit$/],
  ['account', /^#\/account$/],
];

export function parseRoute(hash) {
  const h = (hash || '').split('?')[0];
  if (h === '' || h === '#' || h === '#/') return { name: 'home', params: {} };
  for (const [name, re] of patterns) {
    const m = re.exec(h);
    if (m) return { name, params: { id: m[1] ? Number(m[1]) : undefined } };
  }
  return { name: 'notFound', params: {} };
}

export function navigate(hash) {
  if (location.hash === hash) {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = hash;
  }
}
