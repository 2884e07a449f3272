/*
 * application.c - what an application must contain: formats always, and for
 * submission the completeness the template (seed 001) asks for.
 */
#include "selection/selection.h"

#include "core/yj.h"

static enum yj_err text_at(const char *s, bool required, size_t max, const char *field,
                           struct yj_error *err)
{
    if (!s || !*s)
        return required ? yj_error_set(err, YJ_EINVAL, field, "required") : YJ_OK;
    if (!yj_utf8_text_ok(s, strlen(s)))
        return yj_error_set(err, YJ_EINVAL, field, "must be UTF-8 text without control characters");
    size_t n = yj_utf8_chars(s);
    if (n > max)
        return yj_error_set(err, YJ_EINVAL, field, "at most %zu characters (this has %zu)", max, n);
    return YJ_OK;
}

static enum yj_err date_at(const char *s, const char *today, bool not_future, const char *field,
                           struct yj_error *err)
{
    int y, m, d;
    if (!s)
        return YJ_OK;
    if (yj_date_parse(s, &y, &m, &d) != 0)
        return yj_error_set(err, YJ_EINVAL, field, "not a date: use YYYY-MM-DD");
    if (not_future && today && strcmp(s, today) > 0)
        return yj_error_set(err, YJ_EINVAL, field, "must not be in the future");
    return YJ_OK;
}

static enum yj_err amount_at(int64_t v, const char *field, struct yj_error *err)
{
    if (v != -1 && (v < 0 || v > 10000000000000LL))
        return yj_error_set(err, YJ_EINVAL, field, "must be from 0 to 10^13 yuan");
    return YJ_OK;
}

static enum yj_err finances(const struct sel_application *a, const char *today, bool submit,
                            struct yj_error *err)
{
    char f[48];
    int this_year = 0, m, d;
    if (today)
        yj_date_parse(today, &this_year, &m, &d);
    if (a->n_finances > 10)
        return yj_error_set(err, YJ_EINVAL, "finances", "at most 10 years");
    for (size_t i = 0; i < a->n_finances; i++) {
        const struct sel_finance_year *y = &a->finances[i];
        snprintf(f, sizeof f, "finances[%zu].year", i);
        if (y->year < 1990 || (this_year && y->year > this_year))
            return yj_error_set(err, YJ_EINVAL, f, "not a plausible year");
        for (size_t j = 0; j < i; j++)
            if (a->finances[j].year == y->year)
                return yj_error_set(err, YJ_EINVAL, f, "year given twice");
        static const char *const names[] = {"total_assets", "revenue", "expenses", "liabilities"};
        const int64_t vals[] = {y->total_assets, y->revenue, y->expenses, y->liabilities};
        for (size_t k = 0; k < 4; k++) {
            snprintf(f, sizeof f, "finances[%zu].%s", i, names[k]);
            enum yj_err rc = amount_at(vals[k], f, err);
            if (!rc && submit && k > 0 && vals[k] < 0)
                rc = yj_error_set(err, YJ_EINVAL, f, "required");
            if (rc)
                return rc;
        }
    }
    if (submit && a->n_finances < SEL_FINANCE_YEARS)
        return yj_error_set(err, YJ_EINVAL, "finances",
                            "the last %d years' revenue, expenses and liabilities are required",
                            SEL_FINANCE_YEARS);
    return YJ_OK;
}

static enum yj_err qualifications_projects(const struct sel_application *a, const char *today,
                                           struct yj_error *err)
{
    char f[64];
    enum yj_err rc = YJ_OK;
    if (a->n_qualifications > SEL_QUALIFICATIONS_MAX)
        return yj_error_set(err, YJ_EINVAL, "qualifications", "at most %d", SEL_QUALIFICATIONS_MAX);
    for (size_t i = 0; !rc && i < a->n_qualifications; i++) {
        const struct sel_qualification *q = &a->qualifications[i];
        snprintf(f, sizeof f, "qualifications[%zu].name", i);
        rc = text_at(q->name, true, UNIT_TEXT_MAX, f, err);
        snprintf(f, sizeof f, "qualifications[%zu].issuer", i);
        if (!rc)
            rc = text_at(q->issuer, false, UNIT_TEXT_MAX, f, err);
        snprintf(f, sizeof f, "qualifications[%zu].level", i);
        if (!rc)
            rc = text_at(q->level, false, 50, f, err);
        snprintf(f, sizeof f, "qualifications[%zu].number", i);
        if (!rc)
            rc = text_at(q->number, false, 100, f, err);
        snprintf(f, sizeof f, "qualifications[%zu].valid_until", i);
        if (!rc)
            rc = date_at(q->valid_until, NULL, false, f, err);
    }
    if (!rc && a->n_projects > SEL_PROJECTS_MAX)
        return yj_error_set(err, YJ_EINVAL, "projects", "at most %d", SEL_PROJECTS_MAX);
    for (size_t i = 0; !rc && i < a->n_projects; i++) {
        const struct sel_project *p = &a->projects[i];
        snprintf(f, sizeof f, "projects[%zu].name", i);
        rc = text_at(p->name, true, UNIT_TEXT_MAX, f, err);
        snprintf(f, sizeof f, "projects[%zu].client", i);
        if (!rc)
            rc = text_at(p->client, false, UNIT_TEXT_MAX, f, err);
        snprintf(f, sizeof f, "projects[%zu].category", i);
        if (!rc)
            rc = text_at(p->category, false, 100, f, err);
        snprintf(f, sizeof f, "projects[%zu].content", i);
        if (!rc)
            rc = text_at(p->content, false, UNIT_LONG_TEXT_MAX, f, err);
        snprintf(f, sizeof f, "projects[%zu].contract_amount", i);
        if (!rc)
            rc = amount_at(p->contract_amount, f, err);
        snprintf(f, sizeof f, "projects[%zu].emergency_amount", i);
        if (!rc)
            rc = amount_at(p->emergency_amount, f, err);
        if (!rc && p->emergency_amount > 0 && p->contract_amount >= 0 &&
            p->emergency_amount > p->contract_amount)
            rc = yj_error_set(err, YJ_EINVAL, f, "more than the contract amount");
        snprintf(f, sizeof f, "projects[%zu].signed_on", i);
        if (!rc)
            rc = date_at(p->signed_on, today, true, f, err);
        snprintf(f, sizeof f, "projects[%zu].accepted_on", i);
        if (!rc)
            rc = date_at(p->accepted_on, today, true, f, err);
        if (!rc && p->signed_on && p->accepted_on && strcmp(p->accepted_on, p->signed_on) < 0)
            rc = yj_error_set(err, YJ_EINVAL, f, "before the contract was signed");
    }
    return rc;
}

static enum yj_err cases(const struct sel_application *a, bool submit, struct yj_error *err)
{
    char f[48];
    if (a->n_typical_cases > SEL_TYPICAL_CASES_MAX)
        return yj_error_set(err, YJ_EINVAL, "typical_cases", "at most %d typical projects",
                            SEL_TYPICAL_CASES_MAX);
    if (submit && a->n_typical_cases < SEL_TYPICAL_CASES_MIN)
        return yj_error_set(err, YJ_EINVAL, "typical_cases", "describe %d to %d typical projects",
                            SEL_TYPICAL_CASES_MIN, SEL_TYPICAL_CASES_MAX);
    for (size_t i = 0; i < a->n_typical_cases; i++) {
        snprintf(f, sizeof f, "typical_cases[%zu].title", i);
        enum yj_err rc = text_at(a->typical_cases[i].title, true, UNIT_TEXT_MAX, f, err);
        snprintf(f, sizeof f, "typical_cases[%zu].text", i);
        if (!rc)
            rc = text_at(a->typical_cases[i].text, true, SEL_CASE_MAX, f, err);
        if (rc)
            return rc;
    }
    enum yj_err rc =
        text_at(a->major_event_case.title, submit, UNIT_TEXT_MAX, "major_event_case.title", err);
    if (!rc)
        rc = text_at(a->major_event_case.text, submit, SEL_CASE_MAX, "major_event_case.text", err);
    return rc;
}

static enum yj_err declarations(const struct sel_declarations *d, struct yj_error *err)
{
    static const struct {
        const char *field;
        size_t off;
    } all[] = {
        {"independent_legal_person", offsetof(struct sel_declarations, independent_legal_person)},
        {"good_credit", offsetof(struct sel_declarations, good_credit)},
        {"no_criminal_record", offsetof(struct sel_declarations, no_criminal_record)},
        {"no_security_incident", offsetof(struct sel_declarations, no_security_incident)},
        {"accepts_supervision", offsetof(struct sel_declarations, accepts_supervision)},
        {"contact_7x24", offsetof(struct sel_declarations, contact_7x24)},
        {"confidentiality", offsetof(struct sel_declarations, confidentiality)},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(all); i++)
        if (!*(const bool *)(const void *)((const char *)d + all[i].off)) {
            char f[64];
            snprintf(f, sizeof f, "declarations.%s", all[i].field);
            return yj_error_set(err, YJ_EINVAL, f, "must be declared before submitting");
        }
    return YJ_OK;
}

static enum yj_err completeness(const struct sel_application *a,
                                const struct sel_attachment_counts *att, struct yj_error *err)
{
    const struct unit *p = &a->profile;
    static const struct {
        const char *field;
        size_t off;
    } basic[] = {
        {"profile.legal_representative", offsetof(struct unit, legal_representative)},
        {"profile.founded_on", offsetof(struct unit, founded_on)},
        {"profile.business_scope", offsetof(struct unit, business_scope)},
        {"profile.registration_authority", offsetof(struct unit, registration_authority)},
        {"profile.province", offsetof(struct unit, province)},
        {"profile.address", offsetof(struct unit, address)},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(basic); i++) {
        const char *v = *(const char *const *)(const void *)((const char *)p + basic[i].off);
        if (!v || !*v)
            return yj_error_set(err, YJ_EINVAL, basic[i].field, "required");
    }
    if (p->registered_capital < 0)
        return yj_error_set(err, YJ_EINVAL, "profile.registered_capital", "required");
    bool lead = false, iface = false;
    for (size_t i = 0; i < p->n_contacts; i++) {
        lead |= p->contacts[i].role == UNIT_CONTACT_EMERGENCY_LEAD;
        iface |= p->contacts[i].role == UNIT_CONTACT_INTERFACE;
    }
    if (!lead || !iface)
        return yj_error_set(err, YJ_EINVAL, "profile.contacts",
                            "name the emergency-work lead and the interface person");
    if (p->n_staff == 0)
        return yj_error_set(err, YJ_EINVAL, "profile.staff", "list the technical staff");
    if (p->n_capabilities == 0)
        return yj_error_set(err, YJ_EINVAL, "profile.capabilities", "name a capability field");
    if (!a->security_since)
        return yj_error_set(err, YJ_EINVAL, "security_since", "required");
    static const struct {
        const char *field;
        size_t off;
    } sections[] = {
        {"organisation", offsetof(struct sel_application, organisation)},
        {"main_business", offsetof(struct sel_application, main_business)},
        {"management_systems", offsetof(struct sel_application, management_systems)},
        {"support_plan", offsetof(struct sel_application, support_plan)},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(sections); i++) {
        const char *v = *(const char *const *)(const void *)((const char *)a + sections[i].off);
        if (!v || !*v)
            return yj_error_set(err, YJ_EINVAL, sections[i].field, "required");
    }
    enum yj_err rc = declarations(&a->declarations, err);
    if (rc)
        return rc;
    static const struct {
        const char *field;
        size_t off;
        int64_t need;
    } files[] = {
        {"attachments.commitment_letter", offsetof(struct sel_attachment_counts, commitment_letter),
         1},
        {"attachments.response_commitment",
         offsetof(struct sel_attachment_counts, response_commitment), 1},
        {"attachments.legal_documents", offsetof(struct sel_attachment_counts, legal_documents), 1},
        {"attachments.audit_report", offsetof(struct sel_attachment_counts, audit_report), 1},
        {"attachments.risk_assessment_report",
         offsetof(struct sel_attachment_counts, risk_assessment_report), SEL_RISK_REPORTS},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(files); i++) {
        int64_t have = att ? *(const int64_t *)(const void *)((const char *)att + files[i].off) : 0;
        if (have < files[i].need)
            return yj_error_set(err, YJ_EINVAL, files[i].field, "attach %lld (%lld attached)",
                                (long long)files[i].need, (long long)have);
    }
    return YJ_OK;
}

enum yj_err sel_application_validate(const struct sel_application *a,
                                     const struct sel_attachment_counts *att, bool for_submission,
                                     const char *today, struct yj_error *err)
{
    enum yj_err rc = unit_validate(&a->profile, today, err);
    if (rc) {
        yj_error_prefix_field(err, "profile");
        return rc;
    }
    rc = date_at(a->security_since, today, true, "security_since", err);
    if (!rc && a->security_since && a->profile.founded_on &&
        strcmp(a->security_since, a->profile.founded_on) < 0)
        rc = yj_error_set(err, YJ_EINVAL, "security_since", "before the unit was founded");
    if (!rc)
        rc = finances(a, today, for_submission, err);
    if (!rc)
        rc = qualifications_projects(a, today, err);
    if (!rc)
        rc = cases(a, for_submission, err);
    static const struct {
        const char *field;
        size_t off, max;
    } texts[] = {
        {"organisation", offsetof(struct sel_application, organisation), SEL_TEXT_MAX},
        {"main_business", offsetof(struct sel_application, main_business), SEL_TEXT_MAX},
        {"cooperation", offsetof(struct sel_application, cooperation), SEL_TEXT_MAX},
        {"management_systems", offsetof(struct sel_application, management_systems), SEL_TEXT_MAX},
        {"support_plan", offsetof(struct sel_application, support_plan), SEL_PLAN_MAX},
        {"other_work", offsetof(struct sel_application, other_work), SEL_TEXT_MAX},
    };
    for (size_t i = 0; !rc && i < YJ_ARRAY_LEN(texts); i++) {
        const char *v = *(const char *const *)(const void *)((const char *)a + texts[i].off);
        rc = text_at(v, false, texts[i].max, texts[i].field, err);
    }
    if (!rc && for_submission)
        rc = completeness(a, att, err);
    return rc;
}

enum yj_err sel_application_editable(const char *status, const char *campaign_stage,
                                     int64_t deadline_at, int64_t now, struct yj_error *err)
{
    bool draft = strcmp(status, "draft") == 0, returned = strcmp(status, "returned") == 0;
    if (!draft && !returned)
        return yj_error_set(err, YJ_ECONFLICT, "status",
                            "a submitted application is frozen; ask for it to be returned");
    bool open = strcmp(campaign_stage, "open") == 0;
    bool review = strcmp(campaign_stage, "review") == 0;
    if (draft && (!open || now > deadline_at))
        return yj_error_set(err, YJ_ECONFLICT, "deadline_at",
                            "the application deadline has passed");
    if (returned && !open && !review)
        return yj_error_set(err, YJ_ECONFLICT, "stage", "the campaign no longer takes corrections");
    return YJ_OK;
}
