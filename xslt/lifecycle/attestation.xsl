<?xml version="1.0" encoding="UTF-8"?>
<!--
  lifecycle/attestation.xsl - the roster attestation of a partner
  organisation at /organisations/{slug}/attestation
  (modules/lifecycle_admin.c), for its partner admins, its sponsor and
  portal administrators.

  Input, inside the core's <page> envelope:
    <attestation slug="" name="" days="" due="" attested-at="" sponsor=""
        done="yes"?>
      <error>...</error>?
      <user id="" login="" name="" email="" last-seen="" confirmed="yes|no"
          partner-admin="yes|no"/>...
    </attestation>

  One POST form (CSRF field first): the hidden "roster" lists the ids
  shown, and a "remove" box per active user carries its id.  Users not
  ticked are kept and count as confirmed until the next deadline; removed
  users are disabled at once.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="at" select="/page/attestation"/>

  <xsl:template match="page" mode="title">Confirm the roster of <xsl:value-of select="$at/@name"/></xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <div class="page-head">
        <h1>Confirm the roster of <xsl:value-of select="$at/@name"/></h1>
        <p class="muted">
          <xsl:text>Tick the people who left or no longer need access to the portal; everyone else on the list stays and counts as confirmed. </xsl:text>
          <xsl:if test="$at/@due">
            <xsl:text>Users not confirmed by </xsl:text><xsl:value-of select="$at/@due"/><xsl:text> (UTC) lose their access. </xsl:text>
          </xsl:if>
          <xsl:if test="$at/@attested-at != ''">
            <xsl:text>Last confirmed </xsl:text><xsl:value-of select="$at/@attested-at"/><xsl:text>. </xsl:text>
          </xsl:if>
          <xsl:if test="$at/@sponsor != ''">
            <xsl:text>Sponsor: </xsl:text><xsl:value-of select="$at/@sponsor"/><xsl:text>.</xsl:text>
          </xsl:if>
        </p>
      </div>
      <xsl:if test="$at/@done = 'yes'">
        <p class="notice" role="status">The roster is confirmed. Thank you.</p>
      </xsl:if>
      <xsl:if test="$at/error">
        <p class="error" role="alert"><xsl:value-of select="$at/error"/></p>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="not($at/user)"><p class="muted">This organisation has no active users.</p></xsl:when>
        <xsl:otherwise>
          <form method="post" action="/organisations/{$at/@slug}/attestation">
            <xsl:call-template name="csrf-field"/>
            <input type="hidden" name="roster" value="{$at/@roster}"/>
            <table class="table stack">
              <thead><tr><th scope="col">User</th><th scope="col">Last active</th><th scope="col">Confirmed</th><th scope="col">Remove</th></tr></thead>
              <tbody>
                <xsl:for-each select="$at/user">
                  <tr>
                    <th scope="row" data-label="User">
                      <xsl:value-of select="@name"/><xsl:text> </xsl:text>
                      <code class="wrap"><xsl:value-of select="@login"/></code>
                      <xsl:if test="@email != ''"><xsl:text> · </xsl:text><xsl:value-of select="@email"/></xsl:if>
                      <xsl:if test="@partner-admin = 'yes'"><span class="tag">partner admin</span></xsl:if>
                    </th>
                    <td data-label="Last active"><xsl:value-of select="@last-seen"/></td>
                    <td data-label="Confirmed">
                      <xsl:choose>
                        <xsl:when test="@confirmed = 'yes'">Yes</xsl:when>
                        <xsl:otherwise>Not yet</xsl:otherwise>
                      </xsl:choose>
                    </td>
                    <td data-label="Remove"><input type="checkbox" id="r{@id}" name="remove" value="{@id}"/><label class="visually-hidden" for="r{@id}">Remove <xsl:value-of select="@login"/></label></td>
                  </tr>
                </xsl:for-each>
              </tbody>
            </table>
            <button class="button button-primary" type="submit">Confirm the roster</button>
          </form>
        </xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>
</xsl:stylesheet>
