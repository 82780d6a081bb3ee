/* The ledger page [issue 18]: registered with Kefu.page({...}). */
"use strict";
