/* tempdir.h - temporary folders for unit tests: a new folder under /tmp
 * named by the test's tag, and the removal of a folder tree without a
 * shell. Both fail the running test (Criterion assertions) when they cannot
 * do their work, so a test never goes on with a folder it does not have nor
 * leaves one behind unnoticed.
 *
 * THREAD SAFETY: tempdir_remove keeps the path it could not remove in a
 * static buffer; one removal at a time (Criterion runs each test in a
 * process of its own). */
#ifndef RAPORTAI_TESTS_TEMPDIR_H
#define RAPORTAI_TESTS_TEMPDIR_H

/* Room for "/tmp/raportai-<tag>-XXXXXX" with a tag of up to 40 bytes. */
#define TEMPDIR_LEN 64

/* Makes a new, empty folder /tmp/raportai-<tag>-XXXXXX (mode 0700, the X's
 * replaced by mkdtemp) and writes its path into dir. Fails the test when
 * the tag is too long or the folder cannot be made. */
void tempdir_make(char dir[TEMPDIR_LEN], const char *tag);

/* Removes the tree at dir: its files, its folders and its links (not what
 * they point to), then dir itself, as `rm -rf` would but without a shell.
 * A dir that is already gone is not an error. Fails the test, naming the
 * path and the reason, when anything of the tree is left. */
void tempdir_remove(const char *dir);

#endif
