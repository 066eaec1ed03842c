// The CSP nonce of this response, for <Scripts> and friends (empty in the browser).
import { createContext, useContext } from "react";

const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
