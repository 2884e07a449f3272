/*
 * units.c - the support-unit registry's reference data (contact roles,
 * capability fields, provinces) and its format checks: the unified social
 * credit code of GB 32100-2015, mobile and office phone numbers, e-mail.
 * unit_validate, which applies them to a whole struct unit, is in units_validate.c.
 */
#include "units/units.h"

#include "core/yj.h"

/* ---- contact roles ---- */

static const struct {
    const char *code;
    const char *name_zh;
} contact_roles[UNIT_CONTACT__COUNT] = {
    [UNIT_CONTACT_EMERGENCY_LEAD] = {"emergency_lead", "网络安全应急工作负责人"},
    [UNIT_CONTACT_SUPPORT_LEAD] = {"support_lead", "支撑单位工作负责人"},
    [UNIT_CONTACT_SUPPORT_CONTACT] = {"support_contact", "支撑单位工作联系人"},
    [UNIT_CONTACT_SELECTION_CONTACT] = {"selection_contact", "遴选工作联系人"},
    [UNIT_CONTACT_INTERFACE] = {"interface", "接口人"},
};

const char *unit_contact_role_code(enum unit_contact_role r)
{
    /* The cast also rejects negative values a caller may have forced into the enum. */
    return (unsigned)r < UNIT_CONTACT__COUNT ? contact_roles[r].code : NULL;
}

const char *unit_contact_role_name_zh(enum unit_contact_role r)
{
    return (unsigned)r < UNIT_CONTACT__COUNT ? contact_roles[r].name_zh : NULL;
}

int unit_contact_role_parse(const char *code, enum unit_contact_role *r)
{
    if (!code)
        return -1;
    for (size_t i = 0; i < YJ_ARRAY_LEN(contact_roles); i++) {
        if (strcmp(code, contact_roles[i].code) == 0) {
            *r = (enum unit_contact_role)i;
            return 0;
        }
    }
    return -1;
}

/* ---- capability fields ---- */

const struct unit_capability_field unit_capability_fields[] = {
    {"monitoring_analysis", "监测分析", "Monitoring and analysis"},
    {"early_warning", "预警通报", "Early warning"},
    {"malware_collection", "病毒收集", "Malware collection"},
    {"security_assessment", "安全评估", "Security assessment"},
    {"security_operations", "安全运维", "Security operations"},
    {"vulnerability_discovery", "漏洞挖掘", "Vulnerability discovery"},
    {"penetration_testing", "渗透测试", "Penetration testing"},
    {"emergency_handling", "应急处置", "Emergency handling"},
    {"forensics_tracing", "取证溯源", "Forensics and tracing"},
    {"data_security", "数据安全", "Data security"},
    {"mobile_internet", "移动互联网", "Mobile internet"},
};

const size_t unit_capability_fields_count = YJ_ARRAY_LEN(unit_capability_fields);

/* A unit may claim every field once, so the two numbers must move together. */
_Static_assert(YJ_ARRAY_LEN(unit_capability_fields) == UNIT_CAPS_MAX,
               "UNIT_CAPS_MAX must equal the number of capability fields");

int unit_capability_field_known(const char *code)
{
    if (!code)
        return 0;
    for (size_t i = 0; i < unit_capability_fields_count; i++)
        if (strcmp(code, unit_capability_fields[i].code) == 0)
            return 1;
    return 0;
}

/* ---- 统一社会信用代码, GB 32100-2015 ---- */

enum { CREDIT_CODE_LEN = 18, CREDIT_BODY_LEN = 17, CREDIT_MOD = 31 };

/* The standard's 31 code characters in value order: no I, O, S, V or Z. */
static const char credit_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Weight of position i is 3^i mod 31 (table 3 of the standard). */
static const int credit_weights[CREDIT_BODY_LEN] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                    29, 25, 13, 8,  24, 10, 30, 28};

/* The value 0..30 of a code character, or -1 when it is not one. */
static int credit_value(char c)
{
    if (c == '\0')
        return -1; /* strchr would find the terminator */
    const char *p = strchr(credit_alphabet, c);
    return p ? (int)(p - credit_alphabet) : -1;
}

char unit_credit_code_check_char(const char *first17)
{
    if (!first17)
        return 0;
    int sum = 0;
    /* Stops at a NUL (value -1), so a short string is never read past its end. */
    for (int i = 0; i < CREDIT_BODY_LEN; i++) {
        int v = credit_value(first17[i]);
        if (v < 0)
            return 0;
        sum += v * credit_weights[i];
    }
    /* C18 = 31 - (sum mod 31), where 31 stands for 0. */
    return credit_alphabet[(CREDIT_MOD - sum % CREDIT_MOD) % CREDIT_MOD];
}

/* Names the first character outside the alphabet, telling lower case apart. */
static enum yj_err credit_chars_check(const char *code, struct yj_error *err)
{
    for (int i = 0; i < CREDIT_CODE_LEN; i++) {
        char c = code[i];
        if (credit_value(c) >= 0)
            continue;
        if (c >= 'a' && c <= 'z' && credit_value((char)(c - 'a' + 'A')) >= 0)
            return yj_error_set(err, YJ_EINVAL, "credit_code",
                                "lower-case letter at position %d: use upper case", i + 1);
        return yj_error_set(err, YJ_EINVAL, "credit_code",
                            "character not allowed at position %d: only digits and upper-case "
                            "letters other than I, O, S, V and Z",
                            i + 1);
    }
    return YJ_OK;
}

enum yj_err unit_credit_code_check(const char *code, struct yj_error *err)
{
    if (!code || !*code)
        return yj_error_set(err, YJ_EINVAL, "credit_code", "required");
    if (strlen(code) != CREDIT_CODE_LEN)
        return yj_error_set(err, YJ_EINVAL, "credit_code",
                            "wrong length: a credit code has 18 characters");
    enum yj_err rc = credit_chars_check(code, err);
    if (rc)
        return rc;
    for (int i = 2; i < 8; i++)
        if (code[i] < '0' || code[i] > '9')
            return yj_error_set(err, YJ_EINVAL, "credit_code",
                                "division code not digits: positions 3-8 must be digits");
    char want = unit_credit_code_check_char(code);
    if (code[CREDIT_BODY_LEN] != want)
        return yj_error_set(err, YJ_EINVAL, "credit_code",
                            "wrong check character: the 18th character should be %c", want);
    return YJ_OK;
}

/* ---- phone numbers ---- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Whether s is exactly n digits. */
static bool all_digits(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_digit(s[i]))
        i++;
    return i == n && s[n] == '\0';
}

/* 11 digits 1[3-9]xxxxxxxxx; d need not be NUL-terminated after them. */
static bool mobile_digits_ok(const char *d, size_t n)
{
    return n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

/* Skips "+86" or "86" and one optional space or hyphen after it. */
static const char *skip_country_code(const char *s, bool *skipped)
{
    size_t n = s[0] == '+' ? 3 : 2;
    *skipped = strncmp(s, "+86", 3) == 0 || strncmp(s, "86", 2) == 0;
    if (!*skipped)
        return s;
    s += n;
    if (*s == ' ' || *s == '-')
        s++;
    return s;
}

int unit_mobile_valid(const char *s)
{
    if (!s)
        return 0;
    bool intl;
    /* A bare mobile number starts with 1, never 86, so the prefix is unambiguous. */
    s = skip_country_code(s, &intl);
    return all_digits(s, 11) && mobile_digits_ok(s, 11);
}

enum { PHONE_MAX_BYTES = 40, PHONE_MAX_DIGITS = 24, PHONE_EXT_MAX = 6 };

/* The digits of an office number, split into its groups as written. */
struct phone_digits {
    char d[PHONE_MAX_DIGITS];
    size_t n;          /* digits of the number proper */
    size_t last_start; /* where the last group starts in d */
    bool last_hyphen;  /* the last group followed a hyphen: it may be an extension */
};

/* Reads a run of digits into pd; returns its length, 0 if none or too many. */
static size_t phone_group(const char **s, struct phone_digits *pd)
{
    size_t n = 0;
    while (is_digit(**s)) {
        if (pd->n >= PHONE_MAX_DIGITS)
            return 0;
        pd->d[pd->n++] = *(*s)++;
        n++;
    }
    return n;
}

/* Skips an explicit extension marker: 转, ext, ext., x or #, with optional spaces. */
static bool phone_ext_marker(const char **s)
{
    static const char *const markers[] = {"转", "ext.", "ext", "x", "#"};
    const char *p = *s;
    while (*p == ' ')
        p++;
    for (size_t i = 0; i < YJ_ARRAY_LEN(markers); i++) {
        size_t n = strlen(markers[i]);
        if (strncmp(p, markers[i], n) == 0) {
            p += n;
            while (*p == ' ')
                p++;
            *s = p;
            return true;
        }
    }
    return false;
}

/* Splits "(0858) 822-1234 转 801" into digits; -1 on anything else. */
static int phone_scan(const char *s, struct phone_digits *pd)
{
    memset(pd, 0, sizeof *pd);
    if (*s == '(') {
        s++;
        if (!phone_group(&s, pd) || *s++ != ')')
            return -1;
        if (*s == ' ' || *s == '-')
            s++;
    }
    for (;;) {
        pd->last_start = pd->n;
        if (!phone_group(&s, pd))
            return -1;
        if ((*s != ' ' && *s != '-') || !is_digit(s[1]))
            break;
        pd->last_hyphen = *s++ == '-';
    }
    if (*s == '\0')
        return 0;
    size_t main_digits = pd->n;
    if (!phone_ext_marker(&s) || !phone_group(&s, pd) || *s != '\0')
        return -1;
    size_t ext = pd->n - main_digits;
    pd->n = main_digits;
    pd->last_hyphen = false; /* the extension was explicit */
    return ext <= PHONE_EXT_MAX ? 0 : -1;
}

/* Whether n digits form a whole Chinese number, dialled at home or after +86. */
static bool phone_number_ok(const char *d, size_t n, bool intl)
{
    if (n == 0)
        return false;
    /* Area codes are 010 and 02x before 8 digits, or 0xxx before 7 or 8. */
    if (intl) /* the area code loses its 0 after +86 */
        return d[0] == '1' ? mobile_digits_ok(d, n) || (d[1] == '0' && n == 10)
                           : d[0] != '0' && n >= 10 && n <= 11;
    if (d[0] == '1')
        return mobile_digits_ok(d, n);
    if (d[0] == '0') /* 00 would start an international call */
        return n >= 11 && n <= 12 && d[1] != '0';
    if (n == 10) /* nationwide service numbers */
        return strncmp(d, "400", 3) == 0 || strncmp(d, "800", 3) == 0;
    return n == 7 || n == 8;
}

int unit_phone_valid(const char *s)
{
    if (!s || strlen(s) > PHONE_MAX_BYTES)
        return 0;
    /* Only "+86" marks a country code here: a bare "86..." may be a local number. */
    bool intl = false;
    if (s[0] == '+') {
        s = skip_country_code(s, &intl);
        if (!intl)
            return 0;
    }
    struct phone_digits pd;
    if (phone_scan(s, &pd) != 0)
        return 0;
    if (phone_number_ok(pd.d, pd.n, intl))
        return 1;
    /* "010-12345678-801": a short last group after a hyphen is an extension. */
    size_t tail = pd.n - pd.last_start;
    return pd.last_hyphen && tail <= PHONE_EXT_MAX && phone_number_ok(pd.d, pd.last_start, intl);
}

/* ---- e-mail ---- */

enum { EMAIL_MAX = 254, EMAIL_LOCAL_MAX = 64, EMAIL_LABEL_MAX = 63 };

static bool is_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The dot-atom of RFC 5322: atext runs joined by single dots. Quoted forms are refused. */
static bool email_local_ok(const char *s, size_t n)
{
    if (n == 0 || n > EMAIL_LOCAL_MAX || s[0] == '.' || s[n - 1] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.' && s[i + 1] == '.')
            return false;
        if (!is_alnum(s[i]) && !strchr(".!#$%&'*+/=?^_`{|}~-", s[i]))
            return false;
    }
    return true;
}

/* One DNS label of letters, digits and inner hyphens. */
static bool email_label_ok(const char *s, size_t n)
{
    if (n == 0 || n > EMAIL_LABEL_MAX || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_alnum(s[i]) && s[i] != '-')
            return false;
    return true;
}

/* The top-level label: letters only, or an IDN's "xn--" form; never all digits. */
static bool email_tld_ok(const char *s, size_t n)
{
    if (n >= 4 && strncmp(s, "xn--", 4) == 0)
        return true;
    if (n < 2)
        return false;
    for (size_t i = 0; i < n; i++)
        if (is_digit(s[i]) || s[i] == '-')
            return false;
    return true;
}

/* At least two labels: a bare host or an IP literal is not a plausible address. */
static bool email_domain_ok(const char *s)
{
    size_t labels = 0;
    for (;;) {
        size_t n = strcspn(s, ".");
        if (!email_label_ok(s, n))
            return false;
        labels++;
        if (s[n] == '\0')
            return labels >= 2 && email_tld_ok(s, n);
        s += n + 1;
    }
}

int unit_email_valid(const char *s)
{
    if (!s)
        return 0;
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    if (n > EMAIL_MAX || !at || strchr(at + 1, '@'))
        return 0;
    return email_local_ok(s, (size_t)(at - s)) && email_domain_ok(at + 1);
}

/* ---- provinces ---- */

/* The 34 provincial-level divisions by their full official names. */
const char *const unit_provinces[] = {
    /* 23 provinces (省) */
    "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省",
    "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省",
    "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
    /* 5 autonomous regions (自治区) */
    "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
    /* 4 municipalities (直辖市) */
    "北京市", "天津市", "上海市", "重庆市",
    /* 2 special administrative regions (特别行政区) */
    "香港特别行政区", "澳门特别行政区"};

const size_t unit_provinces_count = YJ_ARRAY_LEN(unit_provinces);
_Static_assert(YJ_ARRAY_LEN(unit_provinces) == 34, "China has 34 provincial-level divisions");

int unit_province_valid(const char *s)
{
    if (!s)
        return 0;
    for (size_t i = 0; i < unit_provinces_count; i++)
        if (strcmp(s, unit_provinces[i]) == 0)
            return 1;
    return 0;
}
