/* roles.h - the roles a user can hold, what kind of account each needs, and
 * the types an organization may have.
 *
 * Corporate roles (manager, radiologist, doctor, technical) are members of
 * one organization; an individual holds a personal account of their own;
 * platform roles (admin, accounting) belong to no organization. */
#ifndef RAPORTAI_AUTH_ROLES_H
#define RAPORTAI_AUTH_ROLES_H

typedef enum {
    ROLE_INVALID = -1,
    ROLE_MANAGER,
    ROLE_RADIOLOGIST,
    ROLE_DOCTOR,
    ROLE_TECHNICAL,
    ROLE_INDIVIDUAL,
    ROLE_ADMIN,
    ROLE_ACCOUNTING,
} role;

typedef enum { ROLE_KIND_CORPORATE, ROLE_KIND_INDIVIDUAL, ROLE_KIND_PLATFORM } role_kind;

/* The role named s, or ROLE_INVALID (s may be NULL). Exact, lowercase. */
role role_parse(const char *s);
/* The role's name; "" for ROLE_INVALID. */
const char *role_name(role r);
role_kind role_kind_of(role r);
/* "manager, radiologist, ..." for messages. */
const char *role_all_names(void);

/* True when type is one an institution's organization may have: hospital,
 * imaging_center or teleradiology (a personal account comes with its
 * individual, never chosen). type may be NULL. */
int org_type_valid(const char *type);

#endif
