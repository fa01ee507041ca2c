/* test_reports.c - unit tests for the web app's saved reports and own
 * templates in src/store: revisions that are never overwritten, scopes
 * (organization and owner), the folded search pinned to its fields, paging,
 * and the dashboard's figures. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../support/store_fixture.h"
#include "core/err.h"
#include "core/ids.h"
#include "store/store.h"

static store_fixture fx;
static store *s; /* fx.store */
static store_org org, other_org;
static store_user alice, bob, carol; /* alice and bob in org, carol in other_org */

static void setup(void)
{
    s = store_fixture_open(&fx, "reports", false);
    store_fixture_two_orgs(&fx, "doctor", &org, &other_org, &alice, &bob, &carol);
}

static void teardown(void)
{
    store_fixture_close(&fx);
}

TestSuite(reports, .init = setup, .fini = teardown);

static store_report_input input(const char *patient, const char *accession, const char *exam,
                                const char *findings)
{
    return (store_report_input){.sut_code = "803910",
                                .exam_name = exam,
                                .modality = "CT",
                                .patient_name = patient,
                                .patient_id = "TC-1",
                                .accession = accession,
                                .language = "tr",
                                .sections[REPORT_SEC_BULGULAR] = findings};
}

static void save(const store_user *u, const char *patient, const char *accession, const char *exam,
                 store_report *out)
{
    store_report_input in = input(patient, accession, exam, "Bulgu 1.");
    cr_assert_eq(store_report_create(s, u->org_id, u->id, &in, out), RA_OK);
}

Test(reports, create_then_revise_keeps_every_revision)
{
    store_report r, r2;
    save(&alice, "Ayşe Şahin", "ACC-1", "Beyin BT", &r);
    cr_assert_eq(r.revision, 1);
    cr_assert_str_eq(r.author, "Alice");
    cr_assert_str_eq(r.patient_name, "Ayşe Şahin");
    store_scope whole = {org.id, NULL};
    store_report_input in = input("Ayşe Yılmaz", "ACC-1", "Beyin BT", "Bulgu 2.");
    in.modality = "MR";
    in.sections[REPORT_SEC_KLINIK] = "Baş ağrısı.";
    cr_assert_eq(store_report_revise(s, r.id, &whole, bob.id, &in, &r2), RA_OK);
    cr_assert_eq(r2.revision, 2);
    cr_assert_str_eq(r2.patient_name, "Ayşe Yılmaz");
    cr_assert_str_eq(r2.author, "Alice", "the report's author stays its creator");

    /* Each revision reads back as it was saved: its fields over the
     * report's row, and its sections ("" for those not given). */
    store_revision v;
    cr_assert_eq(store_report_revision(s, r.id, 1, &v), RA_OK);
    cr_assert_eq(v.revision, 1);
    cr_assert_str_eq(v.author, "Alice");
    cr_assert_str_eq(v.user_id, alice.id);
    cr_assert_str_eq(v.shown.id, r.id);
    cr_assert_eq(v.shown.revision, 1);
    cr_assert_str_eq(v.shown.patient_name, "Ayşe Şahin");
    cr_assert_str_eq(v.shown.modality, "CT");
    cr_assert_str_eq(v.shown.author, "Alice", "the report's author, not the revision's");
    cr_assert_str_eq(v.shown.updated_at, r2.updated_at, "the row's times");
    cr_assert_str_eq(v.sections[REPORT_SEC_BULGULAR], "Bulgu 1.");
    cr_assert_str_eq(v.sections[REPORT_SEC_KLINIK], "");
    store_revision_release(&v);
    cr_assert_null(v.sections[REPORT_SEC_BULGULAR], "released");
    cr_assert_eq(store_report_revision(s, r.id, 0, &v), RA_OK);
    cr_assert_eq(v.revision, 2);
    cr_assert_eq(v.shown.revision, 2);
    cr_assert_str_eq(v.shown.patient_name, "Ayşe Yılmaz");
    cr_assert_str_eq(v.shown.modality, "MR");
    cr_assert_str_eq(v.sections[REPORT_SEC_BULGULAR], "Bulgu 2.");
    cr_assert_str_eq(v.sections[REPORT_SEC_KLINIK], "Baş ağrısı.");
    cr_assert_str_eq(v.sections[REPORT_SEC_SONUC], "");
    cr_assert_str_eq(v.author, "Bob");
    store_revision_release(&v);
    cr_assert_eq(store_report_revision(s, r.id, 3, &v), RA_ERR_NOT_FOUND);
}

Test(reports, scopes_hide_other_owners_and_organizations)
{
    store_report r, got;
    save(&alice, "Ali Veli", "ACC-2", "Beyin BT", &r);
    store_scope own = {org.id, alice.id}, bobs = {org.id, bob.id}, whole = {org.id, NULL};
    store_scope other = {other_org.id, NULL};
    cr_assert_eq(store_report_get(s, r.id, &own, &got), RA_OK);
    cr_assert_eq(store_report_get(s, r.id, &whole, &got), RA_OK);
    cr_assert_eq(store_report_get(s, r.id, &bobs, &got), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_report_get(s, r.id, &other, &got), RA_ERR_NOT_FOUND);
    store_report_input in = input("X", "Y", "Z", "Bulgu.");
    cr_assert_eq(store_report_revise(s, r.id, &bobs, bob.id, &in, &got), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_report_revise(s, r.id, &other, carol.id, &in, &got), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_report_get(s, r.id, &own, &got), RA_OK);
    cr_assert_eq(got.revision, 1, "a refused revision changes nothing");
    cr_assert_str_eq(got.patient_name, "Ali Veli");
}

struct found {
    int n;
    char ids[25][UUID_LEN];
};

static void collect(const store_report *r, void *ctx)
{
    struct found *f = ctx;
    if (f->n < 25)
        snprintf(f->ids[f->n++], UUID_LEN, "%s", r->id);
}

static int64_t search(store_report_filter f, struct found *out)
{
    store_scope whole = {org.id, NULL};
    int64_t total = -1;
    memset(out, 0, sizeof *out);
    if (f.limit == 0)
        f.limit = 20;
    cr_assert_eq(store_report_search(s, &whole, &f, collect, out, &total), RA_OK);
    return total;
}

Test(reports, search_is_folded_and_pinned_to_its_fields)
{
    store_report r;
    /* The accession holds a patient's word and the exam name an accession's,
     * so a filter that leaked into the wrong field would find it. */
    save(&alice, "Şahin İpek", "BEYIN-77", "Ipek BT", &r);
    struct found f;
    cr_assert_eq(search((store_report_filter){.q = "ŞAHİN"}, &f), 1);
    cr_assert_eq(search((store_report_filter){.q = "sahin ipek"}, &f), 1);
    cr_assert_eq(search((store_report_filter){.q = "BEYİN-77"}, &f), 1);
    cr_assert_eq(search((store_report_filter){.q = "803910"}, &f), 0, "q leaves out the code");
    cr_assert_eq(search((store_report_filter){.patient = "ipek"}, &f), 1);
    cr_assert_eq(search((store_report_filter){.patient = "tc 1"}, &f), 1);
    cr_assert_eq(search((store_report_filter){.patient = "beyin"}, &f), 0);
    cr_assert_eq(search((store_report_filter){.accession = "beyin 77"}, &f), 1);
    cr_assert_eq(search((store_report_filter){.accession = "ipek"}, &f), 0);
    cr_assert_eq(search((store_report_filter){.exam = "ipek bt"}, &f), 1);
    cr_assert_eq(search((store_report_filter){.exam = "8039"}, &f), 1);
    cr_assert_eq(search((store_report_filter){.exam = "sahin"}, &f), 0);
    cr_assert_eq(search((store_report_filter){.modality = "CT"}, &f), 1);
    cr_assert_eq(search((store_report_filter){.modality = "MR"}, &f), 0);
    cr_assert_eq(search((store_report_filter){.q = "%"}, &f), 1, "no wildcard from the query");
    cr_assert_eq(search((store_report_filter){.q = "a_b"}, &f), 0);
    cr_assert_eq(search((store_report_filter){.from = "2999-01-01"}, &f), 0);
    cr_assert_eq(search((store_report_filter){.to = "2000-01-01"}, &f), 0);
    cr_assert_eq(search((store_report_filter){.from = "2000-01-01", .to = "2999-12-31"}, &f), 1);
}

Test(reports, search_pages_newest_first_and_counts_all)
{
    store_report made[5];
    for (int i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof name, "Hasta %d", i);
        save(i % 2 ? &bob : &alice, name, "", "BT", &made[i]);
        nanosleep(&(struct timespec){.tv_nsec = 3000000}, NULL); /* distinct creation times */
    }
    store_report theirs;
    save(&carol, "Hasta 9", "", "BT", &theirs);
    struct found f;
    cr_assert_eq(search((store_report_filter){.limit = 2, .offset = 2}, &f), 5);
    cr_assert_eq(f.n, 2);
    cr_assert_str_eq(f.ids[0], made[2].id);
    cr_assert_str_eq(f.ids[1], made[1].id);
    store_scope bobs = {org.id, bob.id};
    store_report_filter all = {.limit = 20};
    int64_t total = 0;
    memset(&f, 0, sizeof f);
    cr_assert_eq(store_report_search(s, &bobs, &all, collect, &f, &total), RA_OK);
    cr_assert_eq(total, 2);
    cr_assert_str_eq(f.ids[0], made[3].id);
}

Test(reports, dashboard_counts_within_scope)
{
    store_report r;
    save(&alice, "A", "", "BT", &r);
    save(&bob, "B", "", "BT", &r);
    store_scope own = {org.id, alice.id}, whole = {org.id, NULL};
    store_dashboard d;
    cr_assert_eq(store_dashboard_get(s, &whole, "2000-01-01", "2000-01-01", &d), RA_OK);
    cr_assert_eq(d.reports_today, 2);
    cr_assert_eq(d.reports_week, 2);
    cr_assert_eq(d.jobs_in_progress, 0);
    cr_assert_eq(store_dashboard_get(s, &own, "2999-01-01", "2000-01-01", &d), RA_OK);
    cr_assert_eq(d.reports_today, 0);
    cr_assert_eq(d.reports_week, 1);
}

/* ---- own templates ------------------------------------------------------------------ */

static void count_template(const store_template *t, void *ctx)
{
    cr_assert_null(t->content, "listings carry no content");
    (*(int *)ctx)++;
}

Test(reports, templates_belong_to_their_owner)
{
    store_template_input in = {
        .name = "Benim", .language = "tr", .format = "txt", .content = "{{BULGULAR}}"};
    store_template t, got;
    cr_assert_eq(store_template_create(s, org.id, alice.id, &in, &t), RA_OK);
    cr_assert_str_eq(t.content, "{{BULGULAR}}");
    cr_assert_str_eq(t.modality, "");
    store_template_release(&t);
    cr_assert_eq(store_template_get(s, t.id, org.id, bob.id, &got), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_template_get(s, t.id, other_org.id, alice.id, &got), RA_ERR_NOT_FOUND);
    store_template_input changed = in;
    changed.content = "{{SONUC}}";
    cr_assert_eq(store_template_update(s, t.id, org.id, bob.id, &changed, &got), RA_ERR_NOT_FOUND);
    cr_assert_eq(store_template_delete(s, t.id, org.id, bob.id), RA_ERR_NOT_FOUND);
    int n = 0;
    cr_assert_eq(store_template_each(s, org.id, bob.id, count_template, &n), RA_OK);
    cr_assert_eq(n, 0);
    cr_assert_eq(store_template_each(s, org.id, alice.id, count_template, &n), RA_OK);
    cr_assert_eq(n, 1);
    cr_assert_eq(store_template_update(s, t.id, org.id, alice.id, &changed, &got), RA_OK);
    cr_assert_str_eq(got.content, "{{SONUC}}");
    store_template_release(&got);
    cr_assert_eq(store_template_delete(s, t.id, org.id, alice.id), RA_OK);
    cr_assert_eq(store_template_get(s, t.id, org.id, alice.id, &got), RA_ERR_NOT_FOUND);
}

/* ---- templates that override the library ----------------------------------------------- */

static void own_template(const store_user *u, const char *name, const char *modality,
                         const char *body, const char *lang, store_template *out)
{
    store_template_input in = {.name = name,
                               .language = lang,
                               .format = "txt",
                               .modality = modality,
                               .body_part = body,
                               .content = "{{BULGULAR}}"};
    cr_assert_eq(store_template_create(s, u->org_id, u->id, &in, out), RA_OK);
    store_template_release(out);
}

static const char *override_name(const char *user_id, const char *modality, const char *body,
                                 const char *lang)
{
    static store_template t;
    int rc = store_template_override(s, org.id, user_id, modality, body, lang, &t);
    if (rc == RA_ERR_NOT_FOUND)
        return NULL;
    cr_assert_eq(rc, RA_OK);
    cr_assert_str_eq(t.content, "{{BULGULAR}}");
    store_template_release(&t);
    return t.name;
}

Test(reports, override_precedence_user_then_organization)
{
    store_user mia, dave;
    store_fixture_member(&fx, org.id, "m@x.org", "Mia", "manager", &mia);
    store_fixture_member(&fx, other_org.id, "d@x.org", "Dave", "manager", &dave);
    store_template t;
    /* Nothing yet: the library's template is used. */
    cr_assert_null(override_name(alice.id, "CT", "brain", "tr"));
    /* A doctor's own template is that doctor's alone. */
    own_template(&bob, "Bob BT", "CT", "brain", "tr", &t);
    cr_assert_null(override_name(alice.id, "CT", "brain", "tr"));
    cr_assert_null(override_name(NULL, "CT", "brain", "tr"));
    cr_assert_str_eq(override_name(bob.id, "CT", "brain", "tr"), "Bob BT");
    /* A manager's template is the organization's: every member and the
     * External API (no user) get it; another organization does not. */
    own_template(&dave, "Dave BT", "CT", "brain", "tr", &t);
    own_template(&mia, "Kurum BT", "CT", "brain", "tr", &t);
    cr_assert_str_eq(override_name(alice.id, "CT", "brain", "tr"), "Kurum BT");
    cr_assert_str_eq(override_name(NULL, "ct", "brain", "tr"), "Kurum BT");
    cr_assert_str_eq(override_name("", "CT", "brain", "tr"), "Kurum BT");
    /* The user's own comes before the organization's. */
    cr_assert_str_eq(override_name(bob.id, "CT", "brain", "tr"), "Bob BT");
    /* Language and body part must match; no fallback. */
    cr_assert_null(override_name(alice.id, "CT", "brain", "en"));
    cr_assert_null(override_name(alice.id, "CT", "chest", "tr"));
    cr_assert_null(override_name(alice.id, "MR", "brain", "tr"));
    /* A deactivated or demoted manager's templates stop being the
     * organization's. */
    cr_assert_eq(store_user_set_active(s, mia.id, 0), RA_OK);
    cr_assert_null(override_name(alice.id, "CT", "brain", "tr"));
    cr_assert_eq(store_user_set_active(s, mia.id, 1), RA_OK);
    cr_assert_str_eq(override_name(alice.id, "CT", "brain", "tr"), "Kurum BT");
    cr_assert_eq(store_user_set_role(s, mia.id, "radiologist"), RA_OK);
    cr_assert_null(override_name(alice.id, "CT", "brain", "tr"));
    /* A template without a body part never overrides. */
    own_template(&alice, "Genel", "CT", "", "tr", &t);
    cr_assert_null(override_name(alice.id, "CT", "", "tr"));
}

/* ---- caps ------------------------------------------------------------------------------------ */

Test(reports, a_user_keeps_at_most_the_cap_of_own_templates)
{
    store_set_limits(s, &(store_limits){.templates_per_user = 2});
    store_template t;
    own_template(&alice, "one", "CT", "beyin", "tr", &t);
    own_template(&alice, "two", "CT", "beyin", "tr", &t);
    store_template_input in = {
        .name = "three", .language = "tr", .format = "txt", .content = "{{BULGULAR}}"};
    cr_assert_eq(store_template_create(s, alice.org_id, alice.id, &in, &t), RA_ERR_REFUSED);
    /* bob's count is his own */
    own_template(&bob, "three", "CT", "beyin", "tr", &t);
    int n = 0;
    cr_assert_eq(store_template_each(s, alice.org_id, alice.id, count_template, &n), RA_OK);
    cr_assert_eq(n, 2, "nothing written");
}

Test(reports, a_report_takes_at_most_the_cap_of_revisions)
{
    store_set_limits(s, &(store_limits){.revisions_per_report = 3});
    store_report r, got;
    save(&alice, "Ayşe Şahin", "ACC-1", "Beyin BT", &r);
    store_scope whole = {org.id, NULL};
    store_report_input in = input("Ayşe Şahin", "ACC-1", "Beyin BT", "Bulgu 2.");
    cr_assert_eq(store_report_revise(s, r.id, &whole, alice.id, &in, &got), RA_OK);
    cr_assert_eq(store_report_revise(s, r.id, &whole, alice.id, &in, &got), RA_OK);
    cr_assert_eq(got.revision, 3);
    in.sections[REPORT_SEC_BULGULAR] = "Bulgu 4.";
    cr_assert_eq(store_report_revise(s, r.id, &whole, alice.id, &in, &got), RA_ERR_REFUSED);
    cr_assert_eq(store_report_get(s, r.id, &whole, &got), RA_OK);
    cr_assert_eq(got.revision, 3, "nothing written");
    store_revision last;
    cr_assert_eq(store_report_revision(s, r.id, 4, &last), RA_ERR_NOT_FOUND);
}
