/* Starting the write-back of a file's pages before its fsync.
 *
 * A commit's fsync returns once every page the transaction wrote is on
 * the disk.  The kernel keeps what an import writes in its cache (its own
 * write-back starts at a tenth of the memory, or after 30 seconds), so
 * the whole database went to the disk inside the commit, the processor
 * idle: 90 ms of the 1.5 s import of 200,000 units.  Asked to start
 * writing while the import goes on, the kernel leaves the commit's fsync
 * the last few megabytes.  Nothing reaches the disk that would not
 * anyway, and durability is still the fsync's: a crash before it leaves
 * what the journal can undo, as before. */
#ifndef TOLK_WRITEBACK_H
#define TOLK_WRITEBACK_H

/* Starts writing back the dirty pages of path, through a descriptor this
 * process already has open on it (SQLite's); does nothing when it has
 * none or the system cannot.  Safe from any thread; it never closes a
 * descriptor of the file. */
void tolk_writeback(const char *path);

#endif
