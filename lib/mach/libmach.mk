# libmach beyond the trap stubs (included by the top-level Makefile): MIG-generated
# user stubs and the MIG support routines. Empty until issue 4's libmach lands.
