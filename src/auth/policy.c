/*
 * policy.c - the one place that says who may do what. Every handler asks
 * auth_policy_check(); nothing else in yingji decides access.
 */
#include "auth/auth.h"

#include "core/yj.h"

static const struct {
    const char *code, *zh;
} roles[AUTH_ROLE__COUNT] = {
    [AUTH_ROLE_AUTHORITY] = {"authority", "主管部门"},
    [AUTH_ROLE_SECURITY_REVIEWER] = {"security_reviewer", "安全审查人员"},
    [AUTH_ROLE_EXPERT] = {"expert", "评审专家"},
    [AUTH_ROLE_UNIT] = {"unit", "支撑单位"},
    [AUTH_ROLE_AUDITOR] = {"auditor", "审计监督"},
};

const char *auth_role_code(enum auth_role r)
{
    return (unsigned)r < AUTH_ROLE__COUNT ? roles[r].code : "unknown";
}

const char *auth_role_name_zh(enum auth_role r)
{
    return (unsigned)r < AUTH_ROLE__COUNT ? roles[r].zh : "未知";
}

int auth_role_parse(const char *code, enum auth_role *r)
{
    for (int i = 0; code && i < AUTH_ROLE__COUNT; i++)
        if (strcmp(code, roles[i].code) == 0) {
            *r = (enum auth_role)i;
            return 0;
        }
    return -1;
}

#define D AUTH_DENY
#define A AUTH_ALL
#define U AUTH_OWN_UNIT
#define S AUTH_SELF
#define X AUTH_ASSIGNED
#define C AUTH_ASSIGNED_CLOSED

/* Rows: actions. Columns: authority, security_reviewer, expert, unit, auditor.
 * Reviewers and experts may see units' basic information (they will review
 * applications built from it) but not staff or contacts' personal data. */
static const struct {
    const char *name;
    unsigned char scope[AUTH_ROLE__COUNT];
} policy[AUTH_ACTION__COUNT] = {
    [AUTH_UNIT_LIST] = {"unit.list", {A, A, A, U, A}},
    [AUTH_UNIT_READ] = {"unit.read", {A, A, A, U, A}},
    [AUTH_UNIT_READ_PERSONAL] = {"unit.read_personal", {A, D, D, U, A}},
    [AUTH_UNIT_CREATE] = {"unit.create", {A, D, D, D, D}},
    [AUTH_UNIT_UPDATE] = {"unit.update", {A, D, D, U, D}},
    [AUTH_UNIT_DELETE] = {"unit.delete", {A, D, D, D, D}},
    [AUTH_UNIT_HISTORY] = {"unit.history", {A, D, D, U, A}},
    [AUTH_USER_LIST] = {"user.list", {A, D, D, D, A}},
    [AUTH_USER_READ] = {"user.read", {A, D, D, D, A}},
    [AUTH_USER_CREATE] = {"user.create", {A, D, D, D, D}},
    [AUTH_USER_UPDATE] = {"user.update", {A, D, D, D, D}},
    [AUTH_USER_RESET_PASSWORD] = {"user.reset_password", {A, D, D, D, D}},
    [AUTH_AUDIT_READ] = {"audit.read", {A, D, D, D, A}},
    [AUTH_TOKEN_CREATE] = {"token.create", {S, S, S, S, S}},
    [AUTH_TOKEN_LIST] = {"token.list", {A, S, S, S, A}},
    [AUTH_TOKEN_REVOKE] = {"token.revoke", {A, S, S, S, S}},
    [AUTH_SESSION_SELF] = {"session.self", {S, S, S, S, S}},
    [AUTH_REFERENCE_READ] = {"reference.read", {A, A, A, A, A}},

    /* Selection. A unit sees only its own applications; a security reviewer sees
     * every application, through the background-review view only; an expert sees
     * only applications assigned to them without a declared conflict, and other
     * experts' scores only once the panel has closed. */
    [AUTH_CAMPAIGN_READ] = {"campaign.read", {A, A, A, A, A}},
    [AUTH_CAMPAIGN_READ_DRAFT] = {"campaign.read_draft", {A, D, D, D, A}},
    [AUTH_CAMPAIGN_MANAGE] = {"campaign.manage", {A, D, D, D, D}},
    [AUTH_UNIT_RECORD_READ] = {"unit_record.read", {A, D, D, U, A}},
    [AUTH_UNIT_RECORD_MANAGE] = {"unit_record.manage", {A, D, D, D, D}},
    [AUTH_APPLICATION_LIST] = {"application.list", {A, A, X, U, A}},
    [AUTH_APPLICATION_READ] = {"application.read", {A, D, X, U, A}},
    [AUTH_APPLICATION_READ_SECURITY] = {"application.read_security", {A, A, D, D, A}},
    [AUTH_APPLICATION_WRITE] = {"application.write", {D, D, D, U, D}},
    [AUTH_APPLICATION_MANAGE] = {"application.manage", {A, D, D, D, D}},
    [AUTH_SECURITY_REVIEW] = {"security_review.decide", {D, A, D, D, D}},
    [AUTH_PANEL_MANAGE] = {"panel.manage", {A, D, D, D, D}},
    [AUTH_PANEL_READ] = {"panel.read", {A, D, X, D, A}},
    [AUTH_SCORE_WRITE] = {"score.write", {D, D, X, D, D}},
    [AUTH_SCORE_READ_OWN] = {"score.read_own", {A, D, S, D, A}},
    [AUTH_SCORE_READ_ALL] = {"score.read_all", {A, D, C, D, A}},
    [AUTH_RANKING_READ] = {"ranking.read", {A, D, D, D, A}},
    [AUTH_OBJECTION_MANAGE] = {"objection.manage", {A, D, D, D, D}},
    [AUTH_OBJECTION_READ] = {"objection.read", {A, D, D, D, A}},

    /* Certificates: their status is public anyway (GET /public/certificates/{n});
     * the records behind it are the authority's, the auditor's and the holder's. */
    [AUTH_CERT_READ] = {"certificate.read", {A, D, D, U, A}},
    [AUTH_CERT_MANAGE] = {"certificate.manage", {A, D, D, D, D}},
    [AUTH_CHANGE_REPORT] = {"change_report.create", {A, D, D, U, D}},
    [AUTH_REQUAL_READ] = {"requalification.read", {A, D, D, U, A}},
    [AUTH_REQUAL_DECIDE] = {"requalification.decide", {A, D, D, D, D}},

    /* Incidents. A unit sees the incidents it takes part in (a dispatch to it, or
     * it reported the incident) and, inside them, only its own dispatches, notes
     * and evidence; the handler works out the involvement, the table decides. */
    [AUTH_INCIDENT_LIST] = {"incident.list", {A, D, D, U, A}},
    [AUTH_INCIDENT_READ] = {"incident.read", {A, D, D, U, A}},
    [AUTH_INCIDENT_REPORT] = {"incident.report", {A, D, D, U, D}},
    [AUTH_INCIDENT_MANAGE] = {"incident.manage", {A, D, D, D, D}},
    [AUTH_EVIDENCE_ADD] = {"evidence.add", {A, D, D, U, D}},
    [AUTH_DISPATCH_MANAGE] = {"dispatch.manage", {A, D, D, D, D}},
    [AUTH_DISPATCH_READ] = {"dispatch.read", {A, D, D, U, A}},
    [AUTH_DISPATCH_RESPOND] = {"dispatch.respond", {D, D, D, U, D}},
    [AUTH_REPORT_MANAGE] = {"upward_report.manage", {A, D, D, D, D}},
    [AUTH_REPORT_READ] = {"upward_report.read", {A, D, D, D, A}},
    [AUTH_INCIDENT_REFERENCE_MANAGE] = {"incident_reference.manage", {A, D, D, D, D}},
    [AUTH_WORKLOG_WRITE] = {"worklog.write", {D, D, D, U, D}},
    [AUTH_WORKLOG_READ] = {"worklog.read", {A, D, D, U, A}},
    [AUTH_OBLIGATIONS_READ] = {"obligations.read", {A, D, D, U, A}},
    [AUTH_DRILL_MANAGE] = {"drill.manage", {A, D, D, D, D}},
    [AUTH_DRILL_READ] = {"drill.read", {A, D, D, U, A}},
    [AUTH_DRILL_ACK] = {"drill.ack", {D, D, D, U, D}},
    [AUTH_NOTIFY_MANAGE] = {"notify.manage", {A, D, D, D, D}},
    [AUTH_OUTBOX_READ] = {"outbox.read", {A, D, D, D, A}},
    [AUTH_NOTIFICATION_SELF] = {"notification.self", {S, S, S, S, S}},

    /* Threat reports and early warnings: units write their own (the authority may
     * file its own too) and see only theirs; the authority reviews; auditors read;
     * a published warning is a bulletin for every unit. */
    [AUTH_THREAT_READ] = {"threat.read", {A, D, D, U, A}},
    [AUTH_THREAT_WRITE] = {"threat.write", {A, D, D, U, D}},
    [AUTH_THREAT_REVIEW] = {"threat.review", {A, D, D, D, D}},
    [AUTH_THREAT_STATS] = {"threat.stats", {A, D, D, U, A}},
    [AUTH_WARNING_READ] = {"warning.read", {A, D, D, U, A}},
    [AUTH_WARNING_WRITE] = {"warning.write", {A, D, D, U, D}},
    [AUTH_WARNING_REVIEW] = {"warning.review", {A, D, D, D, D}},
    [AUTH_BULLETIN_READ] = {"bulletin.read", {A, D, D, A, A}},

    /* The indicator store: the authority imports and edits; auditors read everything;
     * units read and look up what their TLP allows (the handler narrows by TLP). */
    [AUTH_INDICATOR_READ] = {"indicator.read", {A, D, D, A, A}},
    [AUTH_INDICATOR_LOOKUP] = {"indicator.lookup", {A, D, D, A, A}},
    [AUTH_INDICATOR_IMPORT] = {"indicator.import", {A, D, D, D, D}},
    [AUTH_INDICATOR_WRITE] = {"indicator.write", {A, D, D, D, D}},
    [AUTH_WARNINGLIST_READ] = {"warninglist.read", {A, D, D, D, A}},
    [AUTH_WARNINGLIST_MANAGE] = {"warninglist.manage", {A, D, D, D, D}},
    /* The constituency (who owns which networks): kept by the authority, read by auditors. */
    [AUTH_CONSTITUENCY_READ] = {"constituency.read", {A, D, D, D, A}},
    [AUTH_CONSTITUENCY_MANAGE] = {"constituency.manage", {A, D, D, D, D}},
    /* Disposal notices to the constituents: sent and tracked by the authority, read by
     * auditors and by the unit whose report they came from. The owners themselves act
     * through their link's token, outside this table. */
    [AUTH_DISPOSAL_READ] = {"disposal.read", {A, D, D, U, A}},
    [AUTH_DISPOSAL_WRITE] = {"disposal.write", {A, D, D, D, D}},
    /* Indicator feeds fill the indicator store: kept and run by the authority, read by
     * auditors; units see the indicators, not where they come from. */
    [AUTH_FEED_READ] = {"feed.read", {A, D, D, D, A}},
    [AUTH_FEED_WRITE] = {"feed.write", {A, D, D, D, D}},
};

#undef D
#undef A
#undef U
#undef S
#undef X
#undef C

enum auth_scope auth_policy_scope(enum auth_role role, enum auth_action action)
{
    if ((unsigned)role >= AUTH_ROLE__COUNT || (unsigned)action >= AUTH_ACTION__COUNT)
        return AUTH_DENY;
    return (enum auth_scope)policy[action].scope[role];
}

const char *auth_action_name(enum auth_action a)
{
    return (unsigned)a < AUTH_ACTION__COUNT && policy[a].name ? policy[a].name : "unknown";
}

enum yj_err auth_policy_check(const struct auth_subject *who, enum auth_action action,
                              const struct auth_object *obj, struct yj_error *err)
{
    if (!who)
        return yj_error_set(err, YJ_EAUTH, NULL, "log in first");
    switch (auth_policy_scope(who->role, action)) {
    case AUTH_ALL:
        return YJ_OK;
    case AUTH_OWN_UNIT:
        /* A unit user without a unit (impossible by schema) reaches nothing. */
        if (who->unit_id <= 0 || (obj && obj->unit_id != who->unit_id))
            return yj_error_set(err, YJ_ENOTFOUND, NULL, "not found");
        return YJ_OK;
    case AUTH_SELF:
        if (obj && obj->owner_user_id != who->user_id)
            return yj_error_set(err, YJ_ENOTFOUND, NULL, "not found");
        return YJ_OK;
    case AUTH_ASSIGNED:
        if (obj && (!obj->assigned || obj->conflicted))
            return yj_error_set(err, YJ_ENOTFOUND, NULL, "not found");
        return YJ_OK;
    case AUTH_ASSIGNED_CLOSED:
        if (obj && (!obj->assigned || obj->conflicted))
            return yj_error_set(err, YJ_ENOTFOUND, NULL, "not found");
        /* Assigned, but the scores stay sealed until the panel closes: 403, since the
         * caller knows the application exists. */
        if (obj && !obj->panel_closed)
            return yj_error_set(err, YJ_EPERM, NULL,
                                "other experts' scores are sealed "
                                "until the panel closes");
        return YJ_OK;
    case AUTH_DENY:
        break;
    }
    return yj_error_set(err, YJ_EPERM, NULL, "your role may not do this");
}
