/* main.c - the raportai binary: picks the subcommand. */
#include <stdio.h>
#include <string.h>

#include "audio/audio.h"
#include "catalog/catalog.h"
#include "cli/cli.h"
#include "core/err.h"
#include "core/ids.h"
#include "httpc/httpc.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} commands[] = {
    {"serve", cli_serve, "run the HTTP server (web pages, External API v1)"},
    {"admin", cli_admin, "operator commands: organizations, users, credits, API keys, SUT list"},
    {"transcribe", cli_transcribe, "run the speech engine on one audio file (for debugging)"},
    {"structure", cli_structure, "run the structuring engine on one transcript (for debugging)"},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    fprintf(out, "usage: raportai COMMAND [OPTIONS]\n\n"
                 "RaportAI turns radiology dictation into structured reports.\n\nCommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
    fprintf(out, "\n`raportai COMMAND --help` lists a command's options; each option can also\n"
                 "be set by the environment variable shown there.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_REFUSED : CLI_OK;
    }
    if (ids_init() != RA_OK) {
        fprintf(stderr, "raportai: cannot initialise the random number generator\n");
        return CLI_FAILED;
    }
    /* Libraries that must be set up before any thread starts. */
    catalog_init();
    audio_init();
    if (httpc_global_init() != RA_OK) {
        fprintf(stderr, "raportai: cannot initialise the HTTP client\n");
        return CLI_FAILED;
    }
    int status = -1;
    for (size_t i = 0; i < N_COMMANDS && status < 0; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            status = commands[i].run(argc - 1, argv + 1);
    httpc_global_cleanup();
    if (status >= 0)
        return status;
    fprintf(stderr, "raportai: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return CLI_REFUSED;
}
