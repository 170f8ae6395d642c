/** Secrets: `sst secret set ApiToken …` and `sst secret set InstagramToken …` per stage. */
export const apiToken = new sst.Secret("ApiToken");
export const instagramToken = new sst.Secret("InstagramToken");
