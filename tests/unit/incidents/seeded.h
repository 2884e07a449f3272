/*
 * seeded.h - the reference rows migration 3 seeds (incident_levels,
 * incident_grading_rules, report_deadlines), as the store loads them, for the
 * incidents unit tests.
 */
#ifndef YJ_TESTS_UNIT_INCIDENTS_SEEDED_H
#define YJ_TESTS_UNIT_INCIDENTS_SEEDED_H

#include "incidents/incidents.h"

static const struct inc_level seeded_levels[] = {
    {"extraordinary", "特别重大", 1, 15, 120, true, true},
    {"major", "重大", 2, 15, 120, true, true},
    {"significant", "较大", 3, 30, 120, true, false},
    {"general", "一般", 4, 30, 120, false, false},
};

/* 特别重大 confirmed, the rest from the 2023 draft. */
static const struct inc_grading_rule seeded_rules[] = {
    {"personal_records", 1, 100000000, true}, {"personal_records", 2, 10000000, false},
    {"personal_records", 3, 1000000, false},  {"direct_loss_cny", 1, 100000000, true},
    {"direct_loss_cny", 2, 20000000, false},  {"direct_loss_cny", 3, 5000000, false},
    {"cii_outage_whole_min", 1, 360, true},   {"cii_outage_whole_min", 2, 120, false},
    {"cii_outage_whole_min", 3, 30, false},   {"cii_outage_main_min", 1, 1440, true},
    {"cii_outage_main_min", 2, 360, false},   {"cii_outage_main_min", 3, 120, false},
    {"portal_down_min", 1, 1440, true},       {"portal_down_min", 2, 360, false},
    {"portal_down_min", 3, 120, false},       {"defacement_min", 1, 360, true},
    {"defacement_min", 2, 120, false},        {"defacement_min", 3, 30, false},
};

static const struct inc_report_rule seeded_report_rules[] = {
    {"cii", "保护工作部门和公安机关", 60, 30, 30},
    {"central_state", "本单位网信工作机构", 120, 60, 30},
    {"other", "属地省级网信部门", 240, 60, 30},
};

#endif
