/**
 * Extractor core: turns streamed JSON text into validated, typed elements, each delivered the moment its
 * closing token arrives. No HTTP and no provider code lives here.
 */
package dev.extractor;
