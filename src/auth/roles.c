/* roles.c - the role table and the organization types (see roles.h). */
#include "auth/roles.h"

#include <string.h>

static const struct {
    const char *name;
    role_kind kind;
} roles[] = {
    [ROLE_MANAGER] = {"manager", ROLE_KIND_CORPORATE},
    [ROLE_RADIOLOGIST] = {"radiologist", ROLE_KIND_CORPORATE},
    [ROLE_DOCTOR] = {"doctor", ROLE_KIND_CORPORATE},
    [ROLE_TECHNICAL] = {"technical", ROLE_KIND_CORPORATE},
    [ROLE_INDIVIDUAL] = {"individual", ROLE_KIND_INDIVIDUAL},
    [ROLE_ADMIN] = {"admin", ROLE_KIND_PLATFORM},
    [ROLE_ACCOUNTING] = {"accounting", ROLE_KIND_PLATFORM},
};

#define N_ROLES (int)(sizeof roles / sizeof roles[0])

role role_parse(const char *s)
{
    for (int i = 0; s != NULL && i < N_ROLES; i++)
        if (strcmp(s, roles[i].name) == 0)
            return (role)i;
    return ROLE_INVALID;
}

const char *role_name(role r)
{
    return (r >= 0 && r < N_ROLES) ? roles[r].name : "";
}

role_kind role_kind_of(role r)
{
    return (r >= 0 && r < N_ROLES) ? roles[r].kind : ROLE_KIND_PLATFORM;
}

const char *role_all_names(void)
{
    return "manager, radiologist, doctor, technical, individual, admin, accounting";
}

int org_type_valid(const char *type)
{
    static const char *const types[] = {"hospital", "imaging_center", "teleradiology"};
    for (size_t i = 0; type != NULL && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(type, types[i]) == 0)
            return 1;
    return 0;
}
